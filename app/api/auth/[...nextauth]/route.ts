import NextAuth from 'next-auth';
import { getNextAuthOptions } from '@/lib/auth/next-auth-options';

// next-auth 4's App Router handler: session, CSRF token, Credentials callback, sign-out.
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, { params: await context.params } as never, getNextAuthOptions());
}

export { handler as GET, handler as POST };
