package io.mschedule.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShebangTest {

  private static Shebang parse(String script) throws LaunchException {
    return Shebang.parse(script.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  @Test
  void a_script_without_hash_bang_has_none() throws LaunchException {
    assertThat(parse("echo hi\n")).isNull();
    assertThat(parse("")).isNull();
    assertThat(parse("#")).isNull();
    assertThat(parse(" #!/bin/bash\n")).isNull();
  }

  @Test
  void the_interpreter_is_the_first_word() throws LaunchException {
    assertThat(parse("#!/bin/bash\necho hi\n")).isEqualTo(new Shebang("/bin/bash", null));
    assertThat(parse("#!/bin/sh")).isEqualTo(new Shebang("/bin/sh", null));
    assertThat(parse("#! \t/bin/sh  \n")).isEqualTo(new Shebang("/bin/sh", null));
  }

  @Test
  void everything_after_the_interpreter_is_one_argument_as_linux_does_it() throws LaunchException {
    assertThat(parse("#!/usr/bin/env perl\n")).isEqualTo(new Shebang("/usr/bin/env", "perl"));
    assertThat(parse("#!/usr/bin/env  perl -w \t\nprint 1;\n"))
        .isEqualTo(new Shebang("/usr/bin/env", "perl -w"));
  }

  @Test
  void a_carriage_return_stays_part_of_the_line_as_linux_does_it() throws LaunchException {
    assertThat(parse("#!/bin/bash\r\necho hi\r\n")).isEqualTo(new Shebang("/bin/bash\r", null));
  }

  @Test
  void a_hash_bang_without_interpreter_is_a_launch_error() {
    assertThatThrownBy(() -> parse("#!\necho hi\n"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("names no interpreter");
    assertThatThrownBy(() -> parse("#!   \n")).isInstanceOf(LaunchException.class);
  }
}
