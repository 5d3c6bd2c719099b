package io.mschedule.agent;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's package rules (docs/architecture.md), checked on its compiled main classes. The rules
 * between modules are in the CLI module's {@code ArchitectureTest}.
 */
class AgentArchitectureTest {

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("io.mschedule.agent.(*)..")
        .should()
        .beFreeOfCycles()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mschedule.agent"));
  }
}
