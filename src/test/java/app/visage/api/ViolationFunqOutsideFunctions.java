package app.visage.api;

import io.quarkus.funqy.Funq;

/** A deliberate violation for ArchitectureTest: a Funqy entry point outside functions/. Never exported. */
class ViolationFunqOutsideFunctions {
    @Funq("violation")
    public String violation(String in) {
        return in;
    }
}
