'use client';

/**
 * Last-resort error page: the root layout itself failed, so there are no translations and no
 * locale. It says the same thing in English and Korean (each marked with its language), no details.
 */
export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <h1>Something went wrong</h1>
        <p>The server could not finish this request. Please try again.</p>
        <div lang="ko">
          <h2>문제가 생겼습니다</h2>
          <p>서버가 요청을 끝내지 못했습니다. 다시 시도하십시오.</p>
        </div>
      </body>
    </html>
  );
}
