import { parsePage } from '../../../shared/domain/paging';
import { jsonBody } from '../../../shared/http/body';
import { json, pathParameter } from '../../../shared/http/respond';
import type { CampaignStore } from '../../../shared/ports';
import { type RenderDeps, renderTemplateFor } from '../../../shared/use-cases/render-template';
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  resolveTemplate,
  type TemplateDeps,
  updateTemplate,
} from '../../../shared/use-cases/templates';
import { API_BODY, type Routes } from './types';

export interface TemplateRouteDeps extends TemplateDeps, Omit<RenderDeps, 'templates'> {
  readonly campaigns: Pick<CampaignStore, 'get'>;
}

/** Marketer routes about templates: versions on every PUT, a render as a recipient gets it. */
export function templateRoutes(deps: TemplateRouteDeps): Routes {
  return {
    'POST /v1/templates': async (event) => json(201, await createTemplate(deps, jsonBody(event, API_BODY))),
    'GET /v1/templates': async (event) =>
      json(200, await listTemplates(deps, parsePage(event.queryStringParameters))),
    'GET /v1/templates/{templateId}': async (event) =>
      json(200, await resolveTemplate(deps.templates, pathParameter(event, 'templateId'))),
    'PUT /v1/templates/{templateId}': async (event) =>
      json(200, await updateTemplate(deps, pathParameter(event, 'templateId'), jsonBody(event, API_BODY))),
    'DELETE /v1/templates/{templateId}': async (event) => {
      await deleteTemplate(deps, pathParameter(event, 'templateId'));
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    },
    'POST /v1/templates/{templateId}/render': async (event) =>
      json(200, await renderTemplateFor(deps, pathParameter(event, 'templateId'), jsonBody(event, API_BODY))),
  };
}
