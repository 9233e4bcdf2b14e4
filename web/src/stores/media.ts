/**
 * Image uploads as every domain's forms see them (contract: docs/api-media.md). Re-exported here
 * so shared components (PhotoUploader, used by the shop and the auction) take the types from
 * stores, never from `api/`, without depending on one domain's store. Each domain's store keeps
 * its own `upload` action (it knows which sign-out rules apply).
 */
export type { Image } from '@/api/media'
/** The image types the server takes; the uploader's file picker offers only these. */
export { IMAGE_TYPES } from '@/api/media'
