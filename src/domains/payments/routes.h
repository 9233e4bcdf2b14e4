// HTTP routes for payments: the payer's payment status and query, the
// sandbox pay page's actions, and the providers' notify callbacks.
#pragma once

#include <boost/json/object.hpp>

#include "domains/accounts/service.h"
#include "domains/payments/service.h"
#include "http/router.h"

namespace carecity::payments {

// The payer's view: {"id" (the public id), "provider", "status",
// "amount_fen", "description", "pay_url", "return_url", ...}.
boost::json::object PaymentJson(const Payment& p, const PaymentsService& service);
void RegisterRoutes(http::Router& router, PaymentsService& service, accounts::AccountsService& accounts);

}  // namespace carecity::payments
