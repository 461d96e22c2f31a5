import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateGrant } from '../../../shared/adapters/dynamodb/rate-limiter';

/**
 * A document client that passes everything on and keeps every grant of every rate log the
 * table accepted, with the end its release gave it: the limiter prunes its log to what is
 * still held, this keeps the whole history.
 */
export function recordingClient(client: DynamoDBDocumentClient): {
  client: DynamoDBDocumentClient;
  grants: () => RateGrant[];
} {
  const seen = new Map<string, RateGrant>();
  const recording = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      const answer = await client.send(command as never);
      if (command instanceof PutCommand) {
        const grants = command.input.Item?.grants ?? {};
        for (const grant of Object.values(grants) as RateGrant[])
          if (!seen.has(grant.id)) seen.set(grant.id, grant);
      }
      if (command instanceof UpdateCommand) {
        const values = command.input.ExpressionAttributeValues ?? {};
        const grant = values[':grant'] as RateGrant | undefined;
        if (grant !== undefined) seen.set(grant.id, grant);
        const released = command.input.ExpressionAttributeNames?.['#id'];
        const until = values[':until'] as number | undefined;
        const held = released === undefined ? undefined : seen.get(released);
        if (held !== undefined && until !== undefined) {
          const { open: _open, ...closed } = held;
          seen.set(held.id, { ...closed, until });
        }
      }
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client: recording, grants: () => [...seen.values()].sort((a, b) => a.at - b.at) };
}

/** The most units granted within any `windowMs` (a window ending at a grant, start excluded). */
export function busiestWindow(grants: readonly Pick<RateGrant, 'at' | 'units'>[], windowMs: number): number {
  let busiest = 0;
  for (const last of grants) {
    const units = grants
      .filter((grant) => grant.at > last.at - windowMs && grant.at <= last.at)
      .reduce((sum, grant) => sum + grant.units, 0);
    busiest = Math.max(busiest, units);
  }
  return busiest;
}

/** The most units held at any one instant: grants from their `at` until their `until`. */
export function mostHeldAtOnce(grants: readonly RateGrant[]): number {
  let most = 0;
  for (const moment of grants) {
    const units = grants
      .filter((grant) => grant.at <= moment.at && grant.until > moment.at)
      .reduce((sum, grant) => sum + grant.units, 0);
    most = Math.max(most, units);
  }
  return most;
}
