import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../../domain/errors';
import type { SecretSource } from '../../ports';

/** How long a secret is cached in a warm function; a rotated secret is seen within this time. */
const MAX_AGE_SECONDS = 300;

/**
 * Secrets Manager through Powertools Parameters (cached; endpoint from
 * AWS_ENDPOINT_URL_SECRETS_MANAGER). Reads of one secret that overlap share one request:
 * Powertools caches only what has answered, so a cold sender's concurrent recipients (or the
 * first use after the cache expired) would each call Secrets Manager otherwise.
 */
export class SecretsManagerSource implements SecretSource {
  readonly #reading = new Map<string, Promise<string>>();

  getSecret(id: string): Promise<string> {
    let reading = this.#reading.get(id);
    if (reading === undefined) {
      reading = read(id).finally(() => this.#reading.delete(id));
      this.#reading.set(id, reading);
    }
    return reading;
  }
}

async function read(id: string): Promise<string> {
  const value = await getSecret<string>(id, { maxAge: MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new ConfigError(`Secret ${id} is empty`);
  return value;
}
