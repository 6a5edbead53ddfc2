/** Max absolute difference and count of differing elements between two arrays. */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): { maxDifference: number; differing: number } {
  let maxDifference = 0;
  let differing = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs((actual[i] as number) - (expected[i] as number));
    if (difference > 0) differing++;
    if (difference > maxDifference) maxDifference = difference;
  }
  return { maxDifference, differing };
}
