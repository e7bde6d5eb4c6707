'use client';

/** Last-resort error page (the root layout itself failed): English only, no details. */
export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <h1>Something went wrong</h1>
        <p>The server could not finish this request. Please try again.</p>
      </body>
    </html>
  );
}
