import type { Campaign, CampaignStats } from '../../../shared/domain/campaign';
import {
  audienceSummary,
  campaignWaiting,
  parseCampaignListQuery,
} from '../../../shared/domain/campaign-view';
import { DISPATCH_LEASE_MS } from '../../../shared/domain/dispatch';
import type { QuietHours } from '../../../shared/domain/quiet-hours';
import { analyseSms } from '../../../shared/domain/sms-segments';
import { type SmsLayout, sampleSms } from '../../../shared/domain/sms-text';
import { jsonBody } from '../../../shared/http/body';
import { json, pathParameter } from '../../../shared/http/respond';
import type { CampaignStore, TemplateStore, WorkQueue } from '../../../shared/ports';
import type { AudienceCatalog, ReachDeps } from '../../../shared/use-cases/audience-preview';
import type { CampaignCostDeps } from '../../../shared/use-cases/campaign-cost';
import {
  duplicateCampaign,
  listCampaigns,
  pauseCampaign,
  updateCampaign,
} from '../../../shared/use-cases/campaign-life';
import {
  cancelCampaign,
  createCampaign,
  getCampaign,
  previewCampaign,
  resumeCampaign,
} from '../../../shared/use-cases/campaigns';
import { API_BODY, type Routes } from './types';

export interface CampaignRouteDeps {
  readonly campaigns: CampaignStore;
  readonly queue: WorkQueue;
  readonly now: () => Date;
  /** The senders' SMS layout, for previews and segment figures. */
  readonly smsLayout: SmsLayout;
  /** The senders' quiet hours: what a campaign's SMS wait for, and what a preview warns of. */
  readonly quietHours: QuietHours;
  /** Lists and segments a campaign's audience may name. */
  readonly audiences?: AudienceCatalog;
  /** What a preview reads to count the audience's reach per channel. */
  readonly reach?: ReachDeps;
  /** Templates a campaign's content may name. */
  readonly templates?: TemplateStore;
  /** Pre-flight cost against the SMS credit (shared/use-cases/campaign-cost.ts). */
  readonly cost?: CampaignCostDeps;
}

function campaignView(campaign: Campaign, layout: SmsLayout, stats?: CampaignStats) {
  const {
    audience,
    dispatchCursor: _cursor,
    dispatchUnits: _units,
    round: _round,
    sms: _sms,
    email: _email,
    ...view
  } = campaign;
  // The template's final text for a representative contact; stats.expectedSegments counts each one's.
  const sms = campaign.sms && analyseSms(sampleSms(layout, campaign.sms.text));
  const figures = sms
    ? { sms: { encoding: sms.encoding, characters: sms.characters, segments: sms.segments } }
    : {};
  const templates = usedTemplates(campaign);
  // A held campaign (a duplicate not scheduled yet) has no sendAt: null says so.
  const base = {
    ...view,
    sendAt: campaign.sendAt ?? null,
    audience: audienceSummary(audience),
    ...figures,
    ...(templates ? { templates } : {}),
  };
  return stats ? { ...base, stats } : base;
}

/** The template (id and the version kept) each channel's content came from, when any did. */
function usedTemplates(campaign: Campaign) {
  const ref = (content: { template?: { id: string; version: number } } | undefined) =>
    content?.template ? { id: content.template.id, version: content.template.version } : undefined;
  const sms = ref(campaign.sms);
  const email = ref(campaign.email);
  if (!sms && !email) return undefined;
  return { ...(sms ? { sms } : {}), ...(email ? { email } : {}) };
}

/** A body that may be left out (duplicate): none at all reads as `{}`. */
function optionalJsonBody(event: Parameters<Routes[string]>[0]): unknown {
  const raw = event.body ?? '';
  return raw.trim() === '' ? {} : jsonBody(event, API_BODY);
}

/** Marketer routes about campaigns. */
export function campaignRoutes(deps: CampaignRouteDeps): Routes {
  const layout = deps.smsLayout;
  return {
    'POST /v1/campaigns/preview': async (event) =>
      json(
        200,
        await previewCampaign(
          {
            now: deps.now,
            smsLayout: layout,
            quietHours: deps.quietHours,
            ...(deps.reach ? { reach: deps.reach } : {}),
            ...(deps.templates ? { templates: deps.templates } : {}),
            ...(deps.cost ? { cost: deps.cost } : {}),
          },
          jsonBody(event, API_BODY),
        ),
      ),
    'POST /v1/campaigns': async (event) => {
      const campaign = await createCampaign(deps, jsonBody(event, API_BODY));
      const { id, status, sendAt, warnings } = campaign;
      return json(201, { id, status, sendAt, ...(warnings ? { warnings } : {}) });
    },
    'GET /v1/campaigns': async (event) => {
      const page = await listCampaigns(deps, parseCampaignListQuery(event.queryStringParameters));
      return json(200, {
        items: page.items.map(({ campaign, stats }) => campaignView(campaign, layout, stats)),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
    'GET /v1/campaigns/{campaignId}': async (event) => {
      const { campaign, stats, failures } = await getCampaign(deps, pathParameter(event, 'campaignId'));
      const waiting = campaignWaiting(campaign, stats, deps.quietHours, deps.now());
      return json(200, {
        ...campaignView(campaign, layout, stats),
        ...(waiting ? { waiting } : {}),
        // Failed deliveries by kind of reason (kavenegar_411, outcome_unknown …), for the console.
        ...(failures && Object.keys(failures).length > 0 ? { failures } : {}),
      });
    },
    'PATCH /v1/campaigns/{campaignId}': async (event) => {
      const campaign = await updateCampaign(
        deps,
        pathParameter(event, 'campaignId'),
        jsonBody(event, API_BODY),
      );
      return json(200, campaignView(campaign, layout));
    },
    'POST /v1/campaigns/{campaignId}/pause': async (event) => {
      const campaign = await pauseCampaign(deps, pathParameter(event, 'campaignId'));
      return json(200, { id: campaign.id, status: campaign.status, pausedReason: campaign.pausedReason });
    },
    'POST /v1/campaigns/{campaignId}/duplicate': async (event) => {
      const campaign = await duplicateCampaign(
        deps,
        pathParameter(event, 'campaignId'),
        optionalJsonBody(event),
      );
      return json(201, campaignView(campaign, layout));
    },
    'POST /v1/campaigns/{campaignId}/resume': async (event) => {
      const campaign = await resumeCampaign(deps, pathParameter(event, 'campaignId'), DISPATCH_LEASE_MS);
      return json(200, { id: campaign.id, status: campaign.status });
    },
    'POST /v1/campaigns/{campaignId}/cancel': async (event) => {
      const campaign = await cancelCampaign(deps, pathParameter(event, 'campaignId'));
      return json(200, { id: campaign.id, status: campaign.status });
    },
  };
}
