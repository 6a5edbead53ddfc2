import { MedsamError, type MedsamErrorCode } from '../../../src/MedsamError';

/** Runs `action` and checks that it throws a MedsamError with `code`; returns the error. */
export function expectMedsamError(action: () => unknown, code: MedsamErrorCode): MedsamError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MedsamError);
  expect((caught as MedsamError).code).toBe(code);
  return caught as MedsamError;
}
