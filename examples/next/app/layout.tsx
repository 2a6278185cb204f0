import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { pageLanguage } from '../lib/language';

// No favicon file: an empty icon keeps the browser from asking for one.
export const metadata = { title: 'Candor × Next.js shop', icons: { icon: 'data:,' } };

export default async function RootLayout({ children }: { readonly children: ReactNode }) {
  const language = pageLanguage((await headers()).get('accept-language'));
  return (
    <html lang={language}>
      <body>{children}</body>
    </html>
  );
}
