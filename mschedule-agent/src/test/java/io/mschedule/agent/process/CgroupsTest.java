package io.mschedule.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding the agent's cgroup v2 directory from /proc/self/mountinfo and /proc/self/cgroup. */
class CgroupsTest {

  private static final String V1 =
      "30 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:8 - cgroup cgroup rw,memory";

  @Test
  void a_hybrid_host_uses_the_unified_mount_and_the_0_line() {
    var mounts =
        List.of(
            V1, "36 25 0:31 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw");
    var cgroup = List.of("4:memory:/x", "0::/system.slice/mschedule.service");

    assertThat(Cgroups.locate(mounts, cgroup))
        .contains(Path.of("/sys/fs/cgroup/unified/system.slice/mschedule.service"));
  }

  @Test
  void the_root_cgroup_is_the_mount_point_itself() {
    var mounts = List.of("36 25 0:31 / /sys/fs/cgroup rw shared:10 - cgroup2 cgroup2 rw");

    assertThat(Cgroups.locate(mounts, List.of("0::/"))).contains(Path.of("/sys/fs/cgroup"));
  }

  @Test
  void a_mount_of_a_subtree_is_joined_relative_to_its_root() {
    var mounts = List.of("36 25 0:31 /agents /mnt/cg\\040x rw - cgroup2 cgroup2 rw");

    assertThat(Cgroups.locate(mounts, List.of("0::/agents/a1"))).contains(Path.of("/mnt/cg x/a1"));
    assertThat(Cgroups.locate(mounts, List.of("0::/other"))).isEmpty();
  }

  @Test
  void without_cgroup_v2_there_is_none() {
    assertThat(Cgroups.locate(List.of(V1), List.of("4:memory:/x", "0::/"))).isEmpty();
    assertThat(
            Cgroups.locate(
                List.of("36 25 0:31 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"),
                List.of("4:memory:/x")))
        .isEmpty();
  }

  @Test
  void favordynmods_is_read_from_the_super_options_of_the_cgroup2_mount() {
    assertThat(
            Cgroups.favorsMoves(
                List.of(
                    V1, "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate")))
        .isFalse();
    assertThat(
            Cgroups.favorsMoves(
                List.of(
                    V1,
                    "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,favordynmods")))
        .isTrue();
    assertThat(Cgroups.favorsMoves(List.of(V1))).isFalse();
    assertThat(Cgroups.kernelMajor("6.1.0-18-amd64")).isEqualTo(6);
    assertThat(Cgroups.kernelMajor("5.15.0")).isEqualTo(5);
    assertThat(Cgroups.kernelMajor(null)).isZero();
  }
}
