/**
 * A page path that wraps only after a `/` (a `<wbr>` there), never inside a segment: "/lessons/102" may
 * wrap as "/lessons/" + "102" on a phone but never as "/lessons/1" + "02".
 */
import { Fragment } from 'react';

export function Path({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <span className="path__text">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? '/' : ''}
          {part}
          {i < parts.length - 1 && i > 0 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
