/** A synth failure caused by the input (exit 2), as opposed to a bug. */
export class SynthInputError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
    this.name = "SynthInputError";
  }
}
