import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RateGrant } from '../../../shared/adapters/dynamodb/rate-limiter';

/**
 * A document client that passes everything on and keeps every grant of every rate log the
 * table accepted: the limiter prunes its log to one window, this keeps the whole history.
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
        for (const grant of (command.input.Item?.grants ?? []) as RateGrant[]) seen.set(grant.id, grant);
      }
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client: recording, grants: () => [...seen.values()].sort((a, b) => a.at - b.at) };
}

/** The most units granted within any `windowMs` (a window ending at a grant, start excluded). */
export function busiestWindow(grants: readonly RateGrant[], windowMs: number): number {
  let busiest = 0;
  for (const last of grants) {
    const units = grants
      .filter((grant) => grant.at > last.at - windowMs && grant.at <= last.at)
      .reduce((sum, grant) => sum + grant.units, 0);
    busiest = Math.max(busiest, units);
  }
  return busiest;
}
