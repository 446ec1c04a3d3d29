// Verifies one client webhook delivery with the Standard Webhooks reference library for Node.
// Input, as JSON on stdin: {"secret": "whsec_…", "headers": {"webhook-id": …, …}, "body": "<raw body>"}.
// Exit 0: verified; 1: not verified (the reason on stderr); 2: bad input or the library is missing.
import { createRequire } from "node:module";

// require() rather than import: it also finds the library through NODE_PATH, when it is installed elsewhere.
const require = createRequire(import.meta.url);
let Webhook;
try {
  ({ Webhook } = require("standardwebhooks"));
} catch (e) {
  console.error("standardwebhooks is not installed: npm install in src/test/node");
  process.exit(2);
}

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}
let secret, headers, body;
try {
  ({ secret, headers, body } = JSON.parse(input));
} catch (e) {
  console.error("stdin is not a JSON object with secret, headers and body");
  process.exit(2);
}
try {
  new Webhook(secret).verify(body, headers);
  console.log("verified");
} catch (e) {
  console.error(`not verified: ${e.message}`);
  process.exit(1);
}
