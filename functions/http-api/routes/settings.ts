import type { PlatformFacts } from '../../../shared/domain/platform-facts';
import { json } from '../../../shared/http/respond';
import type { Routes } from './types';

/** The platform's read-only facts (the console's settings page). */
export function settingsRoutes(facts: () => PlatformFacts): Routes {
  return {
    'GET /v1/settings': async () => json(200, facts()),
  };
}
