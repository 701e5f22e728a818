// Receivers for engine tests, written as users write them: the `receivers:` section of a config file,
// validated and built by the real loader.
import { stringify } from 'yaml';
import { validateConfigText } from '../../src/config/load.js';
import type { ReceiverConfig } from '../../src/config/model.js';

/** The receivers of a config whose `receivers` section is `receivers` (each needs a name). */
export function receiversFrom(receivers: Record<string, unknown>[]): ReceiverConfig[] {
  const first = receivers[0]?.name;
  const text = stringify({ route: { receiver: first }, receivers });
  const r = validateConfigText(text, '/tmp/watchpost-test.yml');
  if (!r.ok) throw new Error(`test receivers are invalid: ${JSON.stringify(r.problems)}`);
  return r.config.receivers;
}
