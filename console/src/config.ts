/** Runtime settings, from the config.json the CDK app (or the local platform) writes beside the app. */
export interface ConsoleConfig {
  /** Base of the HTTP API; '' = the same origin (the distribution routes /v1/* to the API). */
  readonly apiBase: string;
  readonly cognito: {
    /** Cognito's endpoint: https://cognito-idp.<region>.amazonaws.com/ in the cloud, cognito-local locally. */
    readonly endpoint: string;
    readonly region: string;
    readonly userPoolId: string;
    readonly clientId: string;
  };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const answer = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!answer.ok) throw new Error(`config.json: ${answer.status}`);
  return (await answer.json()) as ConsoleConfig;
}
