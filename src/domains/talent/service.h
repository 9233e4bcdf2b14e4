// 人才库 and the social-worker qualification (docs/api-talent.md).
//
// Who may do what: a member records their own qualification (number; one
// per level) and a trainer (or platform_admin) verifies or rejects it, once
// (repo::DecideQualification). A member who holds a training certificate
// valid now opts into the pool — the consent recorded with its time — and may
// withdraw at any moment: a withdrawn member appears in no search and can no
// longer be invited (the INSERT decides: repo::InsertInvitationIfInPool).
// Organisation staff (and trainers, platform_admin) search the pool;
// residents do not. Staff of the organisation that offers a catalogue
// project invite members onto its team; the member accepts or declines,
// once. A project's team is its accepted invitations.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/talent/model.h"
#include "domains/talent/repo.h"
#include "media/files.h"

namespace carecity::talent {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct EntryDraft {
  std::vector<std::string> skills;
  std::vector<int64_t> village_ids;
  std::string availability;
  std::string intro;
};

struct SearchQuery {
  std::optional<std::string> skill;
  std::optional<int64_t> village_id;
  std::optional<std::string> qualification;      // this level or above, verified
  std::optional<std::string> certificate_level;  // a certificate of this level
  bool include_expired = false;                  // also members whose certificates have all lapsed
};

struct InvitationDraft {
  int64_t user_id = 0;
  std::string project_id;  // public id
  std::string role;
  std::string message;
};

class TalentService {
 public:
  // `cpu` hashes uploaded scans.
  TalentService(db::Store& store, const Clock& clock, boost::asio::thread_pool& cpu);

  Task<Qualification> SubmitQualification(const Principal& p, std::string level, std::string number, std::string ip);
  Result<Qualification> SubmitQualificationTx(db::Tx& tx, const Principal& p, const std::string& level,
                                              const std::string& number, const std::string& ip, int64_t now_ms);
  // Mine; trainers with `status`: everyone's in that status.
  Task<std::vector<Qualification>> Qualifications(const Principal& p, std::optional<std::string> status);
  Task<Qualification> DecideQualification(const Principal& p, std::string id, bool verify, std::string reason,
                                          std::string ip);
  Result<Qualification> DecideQualificationTx(db::Tx& tx, const Principal& p, const std::string& id, bool verify,
                                              const std::string& reason, const std::string& ip, int64_t now_ms);
  // The holder attaches (or replaces) the certificate's scan while the
  // qualification is pending. Errors: talent.qualification_not_found
  // (anyone else), talent.already_decided, file_empty, file_too_large,
  // file_type.
  Task<Qualification> UploadScan(const Principal& p, std::string id, std::string bytes, std::string ip);
  // The scan, for the holder, trainers and platform admins only; anyone
  // else, or none uploaded: talent.scan_not_found.
  Task<media::FileDownload> Scan(const Principal& p, std::string id);

  // Opting in, or updating one's entry.
  Task<Entry> Join(const Principal& p, EntryDraft d, std::string ip);
  Result<Entry> JoinTx(db::Tx& tx, const Principal& p, const EntryDraft& d, const std::string& ip, int64_t now_ms);
  Task<Entry> Withdraw(const Principal& p, std::string ip);
  // Mine (404 talent.not_in_pool when never joined).
  Task<Entry> Mine(const Principal& p);
  Task<std::vector<Entry>> Search(const Principal& p, SearchQuery q);

  Task<Invitation> Invite(const Principal& p, InvitationDraft d, std::string ip);
  Result<Invitation> InviteTx(db::Tx& tx, const Principal& p, const InvitationDraft& d, const std::string& ip,
                              int64_t now_ms);
  // Mine; with `org_id`, that organisation's (its staff).
  Task<std::vector<Invitation>> Invitations(const Principal& p, std::optional<int64_t> org_id);
  Task<Invitation> Answer(const Principal& p, std::string id, bool accept, std::string ip);
  Result<Invitation> AnswerTx(db::Tx& tx, const Principal& p, const std::string& id, bool accept,
                              const std::string& ip, int64_t now_ms);
  // The project's team (accepted invitations); public.
  Task<std::vector<Invitation>> Team(std::string project_id);

 private:
  // The entry with its qualification, certificates and placements.
  Entry Complete(db::Tx& tx, Entry e, int64_t now_ms) const;

  db::Store& store_;
  const Clock& clock_;
  boost::asio::thread_pool& cpu_;
};

}  // namespace carecity::talent
