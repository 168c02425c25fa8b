/** A stack file could not be used: one line per problem (the plan exits 2). */
export class StackFileError extends Error {}
