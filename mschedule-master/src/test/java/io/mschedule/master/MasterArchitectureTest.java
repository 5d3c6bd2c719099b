package io.mschedule.master;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The master's package rules (docs/architecture.md), checked on its compiled main classes. The
 * rules between modules are in the CLI module's {@code ArchitectureTest}.
 */
class MasterArchitectureTest {
  private static JavaClasses master;

  @BeforeAll
  static void importClasses() {
    master =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mschedule.master");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.mschedule.master.(*)..").should().beFreeOfCycles().check(master);
  }

  @Test
  void coreKnowsNothingOfTheWireOrTheHttpApi() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.mschedule.master.dispatch..",
            "io.mschedule.master.task..",
            "io.mschedule.master.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.mschedule.protocol..",
            "io.mschedule.master.api..",
            "io.mschedule.master.security..")
        .because("tasks, dispatch and storage are the core: the wire, the API and security plug in")
        .check(master);
  }
}
