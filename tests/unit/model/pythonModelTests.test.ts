/**
 * Runs the Python tests of models/ (through models/run_tests_json.py, under
 * /usr/bin/python3 or MEDSAM_PYTHON) as part of the jest run, so that the
 * state_dict table, the parameter counts and the export code are checked
 * wherever `npm test` runs. The tests that the architecture rests on are
 * also reported one by one.
 */
import { spawnSync } from 'node:child_process';

import { MODELS_DIR, pythonPath } from './modelFixtures';

const ARCHITECTURE = 'tests.test_architecture.VitBStateDictTest';

/** Tests that must be among those that ran: the ones the model's correctness rests on. */
const REQUIRED = [
  `${ARCHITECTURE}.test_keys_missing_from_model`,
  `${ARCHITECTURE}.test_keys_not_in_table`,
  `${ARCHITECTURE}.test_shapes_match_table`,
  `${ARCHITECTURE}.test_image_encoder_parameter_count`,
  `${ARCHITECTURE}.test_mask_decoder_parameter_count`,
  `${ARCHITECTURE}.test_strict_load_of_saved_checkpoint`,
];

interface PythonReport {
  discovered: number;
  outcomes: Record<string, string>;
}

let status: number | null;
let log: string;
let report: PythonReport | undefined;

beforeAll(() => {
  const result = spawnSync(pythonPath(), ['run_tests_json.py'], {
    cwd: MODELS_DIR,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  status = result.status;
  log = `${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  const lastLine = (result.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    report = JSON.parse(lastLine) as PythonReport;
  } catch {
    report = undefined;
  }
}, 300_000);

describe('Python tests of models/', () => {
  test('all pass', () => {
    if (!report) throw new Error(`models/run_tests_json.py printed no report (exit ${status}):\n${log.slice(-6000)}`);
    const notOk = Object.entries(report.outcomes).filter(([, outcome]) => outcome !== 'ok');
    if (status !== 0 || notOk.length > 0) {
      const listed = notOk.map(([id, outcome]) => `${id}: ${outcome}`).join('\n  ');
      throw new Error(`models/run_tests_json.py exited with ${status}; not ok:\n  ${listed || 'none listed'}\n${log.slice(-6000)}`);
    }
    // Every discovered test reported an outcome, and discovery found the suite.
    expect(Object.keys(report.outcomes)).toHaveLength(report.discovered);
    expect(report.discovered).toBeGreaterThan(REQUIRED.length);
  });

  test.each(REQUIRED)('%s passed', id => {
    expect(report?.outcomes[id]).toBe('ok');
  });
});
