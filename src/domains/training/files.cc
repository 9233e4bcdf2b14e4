// TrainingService's file materials (a session's PDF or image) and the
// secretary's needs assessment posted to the village market; kept out of
// service.cc.
#include <boost/json.hpp>

#include <algorithm>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "domains/audit/service.h"
#include "domains/market/repo.h"
#include "domains/training/repo.h"
#include "domains/training/service.h"
#include "media/repo.h"

namespace carecity::training {
namespace {

namespace json = boost::json;
using accounts::Role;

Error MaterialNotFound() { return Error::NotFound("training.material_not_found"); }

}  // namespace

Task<Material> TrainingService::AddMaterialFile(const Principal& p, int64_t class_id, int64_t event_id,
                                                std::string title, std::string name, std::string bytes) {
  CC_CO_TRY(media::CheckUploadName(name));
  auto checked = co_await media::CheckAndHash(cpu_, bytes);
  if (!checked.ok()) {
    co_return std::move(checked).error();
  }
  const media::StoredFile file = std::move(*checked);
  Material m;
  m.event_id = event_id;
  m.title = std::move(title);
  m.kind = file.content_type == "application/pdf" ? "pdf" : "image";
  m.file_name = media::SanitiseFileName(name, file.content_type, "培训资料");
  m.content_type = file.content_type;
  m.size_bytes = file.size_bytes;
  m.sha256 = file.sha256;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Material> {
    CC_TRY(SessionOfClassTx(tx, p, class_id, event_id));
    const int64_t now = clock_.NowMs();
    m.public_id = NewPublicId();
    m.created_at_ms = now;
    media::repo::PutFile(tx, file, bytes, now);
    repo::InsertMaterial(tx, m, p.user_id);
    audit::Record(tx, p.user_id, "training.material.uploaded", "training_material", m.public_id,
                  json::object{{"class_id", class_id},
                               {"name", m.file_name},
                               {"content_type", m.content_type},
                               {"size_bytes", m.size_bytes},
                               {"sha256", m.sha256}},
                  "", now);
    return m;
  });
}

Task<media::FileDownload> TrainingService::MaterialFile(const Principal& p, std::string material_id) {
  if (!IsPublicId(material_id)) {
    co_return MaterialNotFound();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<media::FileDownload> {
    auto found = repo::FindMaterial(tx, material_id);
    // Who sees the class's materials reads their files.
    if (!found || found->second.sha256.empty() || !SeesMaterialsTx(tx, p, found->first)) {
      return MaterialNotFound();
    }
    auto bytes = media::repo::FileBytes(tx, found->second.sha256);
    if (!bytes) {
      return MaterialNotFound();
    }
    return media::FileDownload{found->second.content_type, found->second.file_name, std::move(*bytes)};
  });
}

Task<std::pair<market::Need, repo::Assignment>> TrainingService::PostAssignmentNeed(const Principal& p,
                                                                                    int64_t class_id,
                                                                                    market::NeedDraft d,
                                                                                    std::string ip) {
  using Posted = std::pair<market::Need, repo::Assignment>;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Posted> {
    const auto c = repo::FindClass(tx, class_id);
    if (!c) {
      return Error::NotFound("training.class_not_found");
    }
    const auto a = repo::FindAssignment(tx, class_id, p.user_id);
    if (!a) {
      return Error::NotFound("training.assignment_not_found");
    }
    if (!c->secretaries_only) {
      return Error::Conflict("training.not_secretaries_class");
    }
    // The claim locks the row and decides: passed and not posted yet.
    if (!repo::ClaimAssignmentForNeed(tx, class_id, p.user_id)) {
      const auto now_a = repo::FindAssignment(tx, class_id, p.user_id);
      return now_a->need_id ? Error::Conflict("training.need_already_posted")
                            : Error::Conflict("training.assignment_not_passed");
    }
    const auto member = repo::FindMember(tx, p.user_id);
    if (!member) {
      return Error::Forbidden();
    }
    d.village_id = member->village_id;
    if (d.story.empty()) {
      d.story = CutCodePoints(a->body, 5000);
    }
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const int64_t need_id, market_.CreateNeedCheckedTx(tx, p, d, ip, now));
    repo::SetAssignmentNeed(tx, class_id, p.user_id, need_id);
    auto need = market::repo::FindNeed(tx, need_id);
    audit::Record(tx, p.user_id, "training.assignment.need_posted", "market_need", need->public_id,
                  json::object{{"class_id", class_id}}, ip, now);
    return Posted{std::move(*need), *repo::FindAssignment(tx, class_id, p.user_id)};
  });
}

}  // namespace carecity::training
