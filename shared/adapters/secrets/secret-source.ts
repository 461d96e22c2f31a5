import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../../domain/errors';
import type { SecretSource } from '../../ports';

/** How long a secret is cached in a warm function; a rotated secret is seen within this time. */
const MAX_AGE_SECONDS = 300;

/** Secrets Manager through Powertools Parameters (cached; endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER). */
export class SecretsManagerSource implements SecretSource {
  async getSecret(id: string): Promise<string> {
    const value = await getSecret<string>(id, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value === '') throw new ConfigError(`Secret ${id} is empty`);
    return value;
  }
}
