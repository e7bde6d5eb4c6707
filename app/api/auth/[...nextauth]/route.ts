import { handleNextAuth } from '@/lib/auth/next-auth-route';

// next-auth 4's App Router handler, with the app's sign-out and relative redirects (lib/auth/next-auth-route.ts).
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return handleNextAuth(request, (await context.params).nextauth);
}

export { handler as GET, handler as POST };
