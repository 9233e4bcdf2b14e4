// The demo's 社区论坛 (seed_forum.cc), part of seed-demo.
#pragma once

#include <functional>
#include <string>

#include "app/app.h"

namespace carecity::app {

// Every demo account counts as a verified, established member (its phone
// verified, trust level 1). Four boards (居民议事 moderated by 叠滘村·梁书记,
// 社工交流 and 志愿者之家 by 博睿社工·李社工, 求助与咨询) and one per
// organisation; the programme's 2012 work plan as a sticky thread with 查看
// 1196 | 回复 0; some fifty threads with several hundred replies from demo
// residents, social workers answering questions in their organisation's
// name (accepted answers), a digest thread, a rude reply reported by 陈阿姨
// waiting in the moderation queue, and its author muted for a week. After
// every other seed; nothing if any board exists.
Status SeedForum(App& app, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
