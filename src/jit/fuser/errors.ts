/** A misuse of the fuser's API or a group it cannot run. */
export class FuserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuserError';
  }
}
