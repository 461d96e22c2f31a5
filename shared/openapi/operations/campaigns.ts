/** Every campaign route: create, preview, list, read, edit, pause, resume, cancel, duplicate. */
import { campaignInputSchema } from '../../domain/campaign';
import { campaignPatchSchema, duplicateSchema } from '../../domain/campaign-edit';
import { campaignListQuerySchema } from '../../domain/campaign-view';
import {
  CAMPAIGN_COST_DESCRIPTION,
  campaignCreatedSchema,
  campaignPageSchema,
  campaignPreviewSchema,
  campaignStatusSchema,
  campaignViewSchema,
} from '../schemas/campaigns';
import type { OperationDoc } from '../types';

const ID = '01JEC1A2B3C4D5E6F7G8H9J0KM';
const COPY_ID = '01JEC1B2C3D4E5F6G7H8J9K0MN';

const createBody = {
  name: 'خبرنامه پاییز',
  topic: 'newsletter',
  channels: ['sms', 'email'],
  audience: { listIds: ['01JEC0Y7B3D5F7H9K1M3P5R7T9'], exclude: { listIds: ['01JEC0Z1X2Y3Z4A5B6C7D8E9F0'] } },
  sms: { text: '{{name}} عزیز، خبرنامه پاییز منتشر شد' },
  email: { subject: 'خبرنامه پاییز', html: '<p>سلام {{name}}</p>' },
  sendAt: '2026-12-10T09:00:00+03:30',
};

const stats = {
  total: 1250,
  queued: 410,
  cancelled: 0,
  sent: 830,
  failed: 4,
  suppressed: 6,
  delivered: 790,
  undelivered: 12,
  bounced: 1,
  complained: 0,
  expectedSegments: 1660,
};

const view = {
  id: ID,
  name: createBody.name,
  topic: 'newsletter',
  status: 'sending',
  sendAt: '2026-12-10T05:30:00.000Z',
  channels: ['sms', 'email'],
  audience: {
    kind: 'lists',
    listIds: ['01JEC0Y7B3D5F7H9K1M3P5R7T9'],
    excludeListIds: ['01JEC0Z1X2Y3Z4A5B6C7D8E9F0'],
  },
  sms: { encoding: 'UCS-2', characters: 98, segments: 2 },
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-10T05:30:01.000Z',
  stats,
};

const held = {
  ...view,
  id: COPY_ID,
  name: 'خبرنامه پاییز (copy)',
  status: 'scheduled',
  sendAt: null,
  createdAt: '2026-12-11T08:00:00.000Z',
  updatedAt: '2026-12-11T08:00:00.000Z',
  stats: undefined,
};
const { stats: _none, ...heldView } = held;

const CAMPAIGN_ID = { campaignId: 'The campaign id (a ULID Chapar made).' };

export const campaignOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/campaigns',
    operationId: 'createCampaign',
    summary: 'Create and schedule a campaign',
    description:
      'Stored as scheduled; without sendAt it goes now. A list or segment that does not exist is a 400. ' +
      'The body may also say `allowPartial: true` (read before the campaign fields): a campaign whose SMS ' +
      'cost more than the credit is then created with a warning instead of refused. ' +
      CAMPAIGN_COST_DESCRIPTION,
    tags: ['campaigns'],
    auth: 'bearer',
    request: { schema: campaignInputSchema, example: createBody, required: true },
    responses: {
      201: {
        description: 'The campaign, scheduled.',
        schema: campaignCreatedSchema,
        example: { id: ID, status: 'scheduled', sendAt: '2026-12-10T05:30:00.000Z' },
      },
      409: {
        description: 'The SMS would cost more than the Kavenegar credit left (and no allowPartial).',
        example: {
          message:
            "The campaign's SMS costs 2832000 Rial (2360 SMS parts) and the credit is 1500000 Rial; top up, or send allowPartial: true",
          cost: { recipients: 1180, segments: 2360, rial: 2_832_000 },
          creditRial: 1_500_000,
        },
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/campaigns/preview',
    operationId: 'previewCampaign',
    summary: 'Preview a campaign body; nothing is stored',
    description:
      'The final SMS (encoding, characters, segments), the audience and its reach per channel; ' +
      'when the campaign has SMS, smsStartsAt says when they will actually go, and a sendAt in ' +
      'quiet hours (CHAPAR_QUIET_HOURS, Tehran time) gives a `quiet_hours` warning. ' +
      CAMPAIGN_COST_DESCRIPTION,
    tags: ['campaigns'],
    auth: 'bearer',
    request: { schema: campaignInputSchema, example: { ...createBody, sendAt: '2026-12-10T23:00:00+03:30' } },
    responses: {
      200: {
        description: 'What the campaign would send.',
        schema: campaignPreviewSchema,
        example: {
          sms: {
            encoding: 'UCS-2',
            characters: 98,
            segments: 2,
            perSegment: 67,
            sample: ' عزیز، خبرنامه پاییز منتشر شد\nhttps://chapar.example/s/AbCdEfGh12 لغو۱۱',
          },
          audience: 1250,
          reach: { sms: { reachable: 1200, notOptedOut: 1180 }, email: { reachable: 900, notOptedOut: 890 } },
          smsStartsAt: '2026-12-11T04:30:00.000Z',
          cost: {
            sms: { recipients: 1180, segments: 2360, rial: 2_832_000 },
            creditRial: 15_000_000,
            enough: true,
          },
          warnings: [
            {
              code: 'quiet_hours',
              message:
                'sendAt 2026-12-10T19:30:00.000Z falls in quiet hours (22:00-08:00 Tehran time): the email ' +
                'goes then, the SMS wait until 2026-12-11T04:30:00.000Z',
            },
          ],
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/campaigns',
    operationId: 'listCampaigns',
    summary: 'Page through campaigns, newest first',
    description:
      'Each with its status, schedule, channels, audience summary (kind and size, never a contact) ' +
      'and stats; `status` reads only the campaigns in it. limit 1-100, default 20; the cursor is opaque.',
    tags: ['campaigns'],
    auth: 'bearer',
    query: campaignListQuerySchema,
    responses: {
      200: {
        description: 'A page of campaigns.',
        schema: campaignPageSchema,
        example: { items: [heldView, view], cursor: 'eyJzdGF0dXMiOm51bGx9' },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/campaigns/{campaignId}',
    operationId: 'getCampaign',
    summary: 'A campaign with its stats',
    description: 'While SMS of a sending campaign wait for quiet hours, `waiting` says so and until when.',
    tags: ['campaigns'],
    auth: 'bearer',
    responses: {
      200: {
        description: `The campaign. ${CAMPAIGN_ID.campaignId}`,
        schema: campaignViewSchema,
        example: { ...view, waiting: { reason: 'quiet_hours', until: '2026-12-11T04:30:00.000Z' } },
      },
      404: { description: 'No such campaign.' },
    },
  },
  {
    method: 'PATCH',
    path: '/v1/campaigns/{campaignId}',
    operationId: 'updateCampaign',
    summary: 'Edit a scheduled campaign',
    description:
      'Any field of the create body, each optional (JSON Merge Patch: null removes an optional ' +
      'one; `sendAt: null` holds the campaign, a new sendAt moves its schedule). The result is ' +
      'checked as a new campaign would be.',
    tags: ['campaigns'],
    auth: 'bearer',
    request: {
      schema: campaignPatchSchema,
      example: {
        name: 'خبرنامه زمستان',
        sms: { text: 'خبرنامه زمستان منتشر شد' },
        sendAt: '2026-12-21T10:00:00+03:30',
      },
      required: true,
    },
    responses: {
      200: {
        description: 'The campaign as edited.',
        schema: campaignViewSchema,
        example: { ...heldView, id: ID, name: 'خبرنامه زمستان', sendAt: '2026-12-21T06:30:00.000Z' },
      },
      404: { description: 'No such campaign.' },
      409: { description: 'It is no longer scheduled (the reason in words), or was edited meanwhile.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/pause',
    operationId: 'pauseCampaign',
    summary: 'Pause a sending campaign',
    description:
      'Nothing more of it goes out, from the next provider call on; `resume` continues it with no duplicate.',
    tags: ['campaigns'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'Paused by the marketer.',
        schema: campaignStatusSchema,
        example: { id: ID, status: 'paused', pausedReason: 'by_marketer' },
      },
      404: { description: 'No such campaign.' },
      409: { description: 'It is not sending (the reason in words).' },
    },
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/resume',
    operationId: 'resumeCampaign',
    summary: 'Resume a paused campaign',
    description: 'Continues where it stopped: whoever already got it is skipped.',
    tags: ['campaigns'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'Sending again.',
        schema: campaignStatusSchema,
        example: { id: ID, status: 'sending' },
      },
      404: { description: 'No such campaign.' },
      409: { description: 'Only a paused campaign can be resumed.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/cancel',
    operationId: 'cancelCampaign',
    summary: 'Cancel a scheduled, sending or paused campaign',
    tags: ['campaigns'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'Cancelled: nothing more goes out.',
        schema: campaignStatusSchema,
        example: { id: ID, status: 'cancelled' },
      },
      404: { description: 'No such campaign.' },
      409: { description: 'It was sent or cancelled already.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/duplicate',
    operationId: 'duplicateCampaign',
    summary: 'Copy a campaign into a new one',
    description:
      'Same topic, channels, content and audience, in any status of the source. Without sendAt ' +
      'the copy is held (scheduled, sendAt null): it sends nothing until a PATCH schedules it. ' +
      'The body may be left out.',
    tags: ['campaigns'],
    auth: 'bearer',
    request: { schema: duplicateSchema, example: { name: 'خبرنامه پاییز، دوباره' }, required: false },
    responses: {
      201: {
        description: 'The copy.',
        schema: campaignViewSchema,
        example: { ...heldView, name: 'خبرنامه پاییز، دوباره' },
      },
      404: { description: 'No such campaign.' },
    },
  },
];
