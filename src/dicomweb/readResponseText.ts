/** Reads a response body as text, or returns '' when it cannot be read. */
export async function readResponseText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/** Parses JSON text, or returns undefined for an empty or invalid body. */
export function parseJsonOrUndefined(text: string): unknown {
  if (text.trim().length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
