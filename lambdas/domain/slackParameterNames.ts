/** The SSM parameters of an environment's Slack integration. */
export interface SlackParameterNames {
  /** SecureString: the Slack app's signing secret. */
  readonly signingSecret: string;
  /** String (JSON): who may act, see `slackAllowListSchema`. */
  readonly allowed: string;
  /** SecureString: the bot token (`xoxb-…`) the notifier posts and updates messages with. */
  readonly botToken: string;
}

/** The SSM parameter names under `/cutover/<environment>/slack/`. */
export function slackParameterNames(environment: string): SlackParameterNames {
  const prefix = `/cutover/${environment}/slack`;
  return { signingSecret: `${prefix}/signing-secret`, allowed: `${prefix}/allowed`, botToken: `${prefix}/bot-token` };
}
