import { parsePage } from '../../../shared/domain/paging';
import { jsonBody } from '../../../shared/http/body';
import { json, pathParameter } from '../../../shared/http/respond';
import {
  createSegment,
  getSegment,
  listSegments,
  previewSegment,
  type SegmentDeps,
} from '../../../shared/use-cases/segments';
import { contactView } from './contacts';
import { API_BODY, type Routes } from './types';

/** Marketer routes about segments (saved filters) and their previews. */
export function segmentRoutes(deps: SegmentDeps): Routes {
  return {
    'POST /v1/segments': async (event) => json(201, await createSegment(deps, jsonBody(event, API_BODY))),
    'GET /v1/segments': async (event) =>
      json(200, await listSegments(deps, parsePage(event.queryStringParameters))),
    'GET /v1/segments/{segmentId}': async (event) =>
      json(200, await getSegment(deps, pathParameter(event, 'segmentId'))),
    'POST /v1/segments/preview': async (event) => {
      const preview = await previewSegment(deps, jsonBody(event, API_BODY));
      return json(200, { ...preview, sample: preview.sample.map(contactView) });
    },
  };
}
