// HTTP routes for payments: the sandbox pay page's actions, the provider's
// notify callback, and payment status.
#pragma once

#include <boost/json/object.hpp>

#include "domains/payments/service.h"
#include "http/router.h"

namespace carecity::payments {

boost::json::object PaymentJson(const Payment& p);
void RegisterRoutes(http::Router& router, PaymentsService& service);

}  // namespace carecity::payments
