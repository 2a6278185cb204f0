import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A screen with its heading. The heading takes focus when the screen opens, so keyboard and
 * screen-reader users land on the new content after navigating.
 */
export function Page({
  title,
  actions,
  children,
}: {
  readonly title: string;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </header>
      {children}
    </section>
  );
}
