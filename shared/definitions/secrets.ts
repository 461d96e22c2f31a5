/** Secrets in Secrets Manager; functions receive the secret's id in `envVar`. */
export const secrets = {
  apiKey: {
    id: 'ApiKeySecret',
    name: 'chapar/api-key',
    envVar: 'API_KEY_SECRET_ID',
    rotation: 'Shared with the marketer out of band; rotated by the operator together with the marketer',
  },
  tokenKeys: {
    id: 'TokenKeysSecret',
    name: 'chapar/token-keys',
    envVar: 'TOKEN_KEYS_SECRET_ID',
    rotation: 'A keyring: rotation adds a key id and moves "current", so links already sent keep working',
  },
  webhookSecret: {
    id: 'WebhookSecret',
    name: 'chapar/webhook-secret',
    envVar: 'WEBHOOK_SECRET_ID',
    rotation: 'Shared with the report sender; rotated by the operator together with the sender',
  },
  kavenegarApiKey: {
    id: 'KavenegarApiKeySecret',
    name: 'chapar/kavenegar-api-key',
    envVar: 'KAVENEGAR_API_KEY_SECRET_ID',
    rotation: 'Issued by Kavenegar in its panel; the operator replaces it there and here',
  },
  deliveryCallbackSecret: {
    id: 'DeliveryCallbackSecret',
    name: 'chapar/delivery-callback-secret',
    envVar: 'DELIVERY_CALLBACK_SECRET_ID',
    rotation: "Part of the callback URL set in Kavenegar's panel; rotated there and here together",
  },
  erasureKey: {
    id: 'ErasureKeySecret',
    name: 'chapar/erasure-key',
    envVar: 'ERASURE_KEY_SECRET_ID',
    rotation: 'Keys the do-not-contact hashes: rotating it would forget every erased person',
  },
} as const;

export type SecretName = keyof typeof secrets;
