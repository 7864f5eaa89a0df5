// What CommandSpec.swift needs from the rest of the executable, for the args fuzz target only.
final class Invocation: @unchecked Sendable {}
