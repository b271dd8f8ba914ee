import { resourceNameSchema } from './releaseInput.ts';
import { SlackAction, type SlackActionValue } from './slackWork.ts';

/** The usage text of `/cutover`. */
export const SLACK_USAGE =
  'Usage: `/cutover rollback <service> [environment]`, `/cutover abort <service> [environment]`, ' +
  '`/cutover promote <service> [environment]`, `/cutover status <service> [environment]`, `/cutover help`';

/** A parsed `/cutover` text: an action on a service, a request for help, or text that is not a command (with why). */
export type SlackCommandText =
  | { readonly kind: 'action'; readonly action: SlackActionValue; readonly service: string; readonly environment: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage'; readonly problem: string };

// Approve / Reject are buttons on a release's message, which name the release: not commands.
const ACTIONS: ReadonlySet<string> = new Set([SlackAction.Rollback, SlackAction.Abort, SlackAction.Promote, SlackAction.Status]);

/**
 * Parses the text after `/cutover`: `<action> <service> [environment]` or `help`. The environment defaults to
 * `defaultEnvironment`. Names are matched as given (lowercase, as SSM names them); anything else is a usage problem.
 */
export function parseSlackCommandText(text: string, defaultEnvironment: string): SlackCommandText {
  const words = text.trim().split(/\s+/).filter((word) => word.length > 0);
  const [verb, service, environment, ...rest] = words;
  if (verb === undefined || verb === 'help') return words.length <= 1 ? { kind: 'help' } : { kind: 'usage', problem: '`help` takes no arguments' };
  if (!ACTIONS.has(verb)) return { kind: 'usage', problem: `unknown command \`${verb.slice(0, 32)}\`` };
  if (service === undefined) return { kind: 'usage', problem: `\`${verb}\` needs a service` };
  if (rest.length > 0) return { kind: 'usage', problem: 'too many arguments' };
  if (!resourceNameSchema.safeParse(service).success) return { kind: 'usage', problem: 'the service must be 1-64 lowercase letters, digits or hyphens' };
  const env = environment ?? defaultEnvironment;
  if (!resourceNameSchema.safeParse(env).success) return { kind: 'usage', problem: 'the environment must be 1-64 lowercase letters, digits or hyphens' };
  return { kind: 'action', action: verb as SlackActionValue, service, environment: env };
}
