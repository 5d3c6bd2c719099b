package io.mschedule.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules between modules (docs/architecture.md), checked on the compiled main classes of all of
 * them: this module depends on every other one. Each module checks its own package cycles too
 * ({@code MasterArchitectureTest}, {@code AgentArchitectureTest}, {@code
 * ProtocolArchitectureTest}).
 */
class ArchitectureTest {
  private static final String MASTER = "io.mschedule.master..";
  private static final String AGENT = "io.mschedule.agent..";
  private static final String RELAY = "io.mschedule.relay..";
  private static final String PROTOCOL = "io.mschedule.protocol..";
  private static final String CLI = "io.mschedule.cli..";
  private static final String LAUNCH = "io.mschedule.cli.launch..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mschedule");
  }

  @Test
  void theMasterImportsNeitherTheAgentNorTheCli() {
    noClasses()
        .that()
        .resideInAPackage(MASTER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(AGENT, RELAY, CLI)
        .because("master, agent and relay share only the protocol")
        .check(classes);
  }

  @Test
  void theAgentImportsNeitherTheMasterNorTheCli() {
    noClasses()
        .that()
        .resideInAPackage(AGENT)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(MASTER, RELAY, CLI)
        .because("master, agent and relay share only the protocol")
        .check(classes);
  }

  @Test
  void theRelayImportsNeitherTheMasterNorTheAgentNorTheCli() {
    noClasses()
        .that()
        .resideInAPackage(RELAY)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(MASTER, AGENT, CLI)
        .because("master, agent and relay share only the protocol")
        .check(classes);
  }

  @Test
  void theProtocolImportsNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage(PROTOCOL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(MASTER, AGENT, RELAY, CLI)
        .check(classes);
  }

  @Test
  void onlyTheLaunchCommandsImportTheMasterOrTheAgent() {
    noClasses()
        .that()
        .resideInAPackage(CLI)
        .and()
        .resideOutsideOfPackage(LAUNCH)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(MASTER, AGENT, RELAY)
        .because("the client commands speak HTTP to the master; only " + LAUNCH + " starts one")
        .check(classes);
  }

  /** The classes of this module in the lean agent jar (the agent-jar filter of the pom). */
  static final String LEAN_AGENT_CLASSES =
      "io\\.mschedule\\.cli\\.(launch\\.(AgentMain|AgentCommand|AgentStartupFailures|FailureReasons"
          + "|LogSetup|ServiceRunner)|VersionProvider|CliException|StartFailureLogFilter|log\\.\\w+)"
          + "(\\$.*)?";

  @Test
  void theLeanAgentJarNeedsNoMasterClientOrWebClass() {
    classes()
        .that()
        .haveNameMatching(LEAN_AGENT_CLASSES)
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..",
                    "javax..",
                    AGENT,
                    PROTOCOL,
                    "picocli..",
                    "org.slf4j..",
                    "ch.qos.logback..",
                    "org.zeromq..")
                .or(nameMatching(LEAN_AGENT_CLASSES)))
        .because("mschedule-agent.jar holds only these classes, the agent and the protocol")
        .check(classes);
  }

  @Test
  void cliPackagesHaveNoCycles() {
    slices().matching("io.mschedule.cli.(*)..").should().beFreeOfCycles().check(classes);
  }
}
