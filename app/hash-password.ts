// npm run hash-password -- <secret> [--token]: prints the hash to paste into passwordHash / tokenHash.
import { hashPassword, hashToken } from '../runtime/secrets.ts';

const args = process.argv.slice(2);
const secret = args.find((a) => !a.startsWith('--'));
if (!secret) {
  console.error(
    '用法 / usage: npm run hash-password -- <secret> [--token]\n  --token  sha256 hash for a long random API token (tokenHash)',
  );
  process.exit(2);
}
console.log(args.includes('--token') ? hashToken(secret) : hashPassword(secret));
