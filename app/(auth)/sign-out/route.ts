import { signOutResponse } from '@/lib/auth/sign-out';

/**
 * Sign out (POST only; a plain form works without scripts): lib/auth/sign-out.ts signOutResponse,
 * the same as next-auth's POST /api/auth/signout. Cross-site posts are refused with 403.
 */
export async function POST(request: Request) {
  return signOutResponse(request);
}
