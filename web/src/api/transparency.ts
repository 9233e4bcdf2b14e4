/**
 * `/api/v1/transparency/checkpoints`: signed checkpoints of the platform's hash chains — the fund's
 * books (`fund`) and the audit log (`audit`) — with the public key that verifies them
 * (docs/api-transparency.md). Public; times are UTC epoch ms.
 */
import { http } from './client'

export type ChainName = 'fund' | 'audit'

/** "Chain `chain` had `seq` entries and entry `seq`'s hash was `head_hash` at `at_ms`", signed. */
export interface Checkpoint {
  chain: ChainName
  seq: number
  head_hash: string
  at_ms: number
  /** Hex Ed25519 key that signed it. */
  public_key: string
  /** Hex Ed25519 signature. */
  signature: string
}

export interface CheckpointList {
  algorithm: 'ed25519'
  /** The key this server signs with (hex). */
  public_key: string
  /** "1a2b 3c4d 5e6f 7a8b": for people to compare. */
  public_key_fingerprint: string
  latest: Record<ChainName, Checkpoint | null>
  /** Newest first. */
  checkpoints: Checkpoint[]
  next_cursor: string | null
}

/** The latest checkpoint of each chain (and a page of `chain`'s, or of both, newest first). */
export function listCheckpoints(limit: number, chain: ChainName | null = null): Promise<CheckpointList> {
  const query = new URLSearchParams({ limit: String(limit) })
  if (chain !== null) {
    query.set('chain', chain)
  }
  return http.get<CheckpointList>(`/transparency/checkpoints?${query.toString()}`)
}
