package io.mschedule.relay;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The relay's package rules (docs/architecture.md), checked on its compiled main classes. The rules
 * between modules are in the CLI module's {@code ArchitectureTest}.
 */
class RelayArchitectureTest {

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("io.mschedule.relay.(*)..")
        .should()
        .beFreeOfCycles()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mschedule.relay"));
  }
}
