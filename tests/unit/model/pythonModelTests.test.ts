/**
 * Runs the Python tests of models/ (models/run_tests.sh: unittest under
 * /usr/bin/python3 or MEDSAM_PYTHON) as part of the jest run, so that the
 * state_dict table, the parameter counts and the export code are checked
 * wherever `npm test` runs. The tests that the architecture rests on are
 * also reported one by one.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { MODELS_DIR, pythonPath } from './modelFixtures';

/** Tests that must be among those that ran: the ones the model's correctness rests on. */
const REQUIRED = [
  'test_keys_missing_from_model',
  'test_keys_not_in_table',
  'test_shapes_match_table',
  'test_image_encoder_parameter_count',
  'test_mask_decoder_parameter_count',
  'test_strict_load_of_saved_checkpoint',
];

interface PythonRun {
  status: number | null;
  output: string;
  outcomes: Map<string, string>;
}

let run: PythonRun;

beforeAll(() => {
  const result = spawnSync('sh', [path.join(MODELS_DIR, 'run_tests.sh'), '-v'], {
    env: { ...process.env, MEDSAM_PYTHON: pythonPath() },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  // unittest -v writes "test_name (module.Class) ... ok" per test; a docstring
  // line may come between the name and the outcome.
  const outcomes = new Map<string, string>();
  for (const match of output.matchAll(/^(test_\w+) \([\w.]+\)(?:\n.*?)? \.\.\. (ok|FAIL|ERROR|skipped.*)$/gm)) {
    outcomes.set(match[1] as string, match[2] as string);
  }
  run = { status: result.status, output, outcomes };
}, 300_000);

describe('Python tests of models/', () => {
  test('all pass', () => {
    const failed = [...run.outcomes].filter(([, outcome]) => outcome !== 'ok');
    if (run.status !== 0 || failed.length > 0) {
      throw new Error(`models/run_tests.sh exited with ${run.status}; not ok: ${failed.map(([name]) => name).join(', ') || 'none parsed'}\n${run.output.slice(-6000)}`);
    }
    expect(run.outcomes.size).toBeGreaterThanOrEqual(40);
  });

  test.each(REQUIRED)('%s ran and passed', name => {
    expect(run.outcomes.get(name)).toBe('ok');
  });
});
