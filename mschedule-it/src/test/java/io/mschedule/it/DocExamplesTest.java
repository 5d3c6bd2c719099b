package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link DocExamples} reads the command examples of a page. */
class DocExamplesTest {
  @Test
  void commandsOfShellBlocksWithTheirMarkers() {
    List<DocExamples.Example> found =
        DocExamples.parse(
            "p.md",
            List.of(
                "Text with `mschedule agents` inline.",
                "```sh",
                "mschedule agents            # the fleet",
                "bin/mschedule run -t all \\",
                "    -c uptime",
                "echo 'uptime' | mschedule run -t all -",
                "mvn -B verify && bin/mschedule up",
                "```",
                "",
                "<!-- not run: needs systemd -->",
                "",
                "```sh",
                "mschedule up",
                "```",
                "<!-- exit: 2 -->",
                "```bash",
                "$ mschedule run -c false",
                "```",
                "```",
                "mschedule run -c 'an output sample'",
                "```",
                "```sh",
                "mschedulex agents",
                "```"));
    assertThat(found)
        .extracting(DocExamples.Example::line, DocExamples.Example::command)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "mschedule agents            # the fleet"),
            org.assertj.core.groups.Tuple.tuple(4, "bin/mschedule run -t all \\\n    -c uptime"),
            org.assertj.core.groups.Tuple.tuple(6, "echo 'uptime' | mschedule run -t all -"),
            org.assertj.core.groups.Tuple.tuple(13, "mschedule up"),
            org.assertj.core.groups.Tuple.tuple(17, "mschedule run -c false"));
    assertThat(found.get(0).skipped()).isNull();
    assertThat(found.get(3).skipped()).isEqualTo("needs systemd");
    assertThat(found.get(4).exit()).isEqualTo(2);
    assertThat(found.get(1).toString()).isEqualTo("p.md:4 bin/mschedule run -t all -c uptime");
  }
}
