/**
 * The one description of Chapar's resources. infra/ turns it into CloudFormation and
 * local/ turns it into emulator tables, queues, routes and schedules, so the two cannot
 * drift. Pure data: no AWS SDK, no CDK, no process.env.
 */

export * from './buckets';
export * from './environment';
export * from './functions';
export * from './queues';
export * from './routes';
export * from './schedules';
export * from './secrets';
export * from './tables';
export * from './types';
export * from './user-pool';
