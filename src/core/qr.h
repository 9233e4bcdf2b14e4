// QR codes as SVG (libqrencode): receipts' verification links and event
// tickets.
#pragma once

#include <string>

namespace carecity {

// A square SVG of the QR code for `text` (error correction M, 4-module quiet
// zone), or "" if it cannot be encoded.
std::string QrSvg(const std::string& text);

}  // namespace carecity
