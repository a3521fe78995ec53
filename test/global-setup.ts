/** Runs once before all test files: nothing to start yet besides what each file starts itself. */
export default function setup(): void {}
