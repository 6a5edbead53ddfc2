import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

import type { MedsamService } from '../MedsamService';
import { MedsamPanel } from './MedsamPanel';
import { PanelErrorBoundary } from './PanelErrorBoundary';

/**
 * Returns the component that OHIF renders as the panel. The host viewer
 * renders it with its own React, which does not share hooks with ours, so
 * this component calls no hooks. It renders an empty element and mounts our
 * own React root, with the real panel, into it through a callback ref.
 * Element objects of React 18.3 are plain data, so the host can render the
 * one this function returns.
 */
export function createPanelHost(service: MedsamService) {
  let root: Root | null = null;
  let container: HTMLElement | null = null;

  const mount = (element: HTMLDivElement | null) => {
    if (element === container) {
      return;
    }
    // Unmount after the host's commit finishes: a root must not be
    // unmounted from inside another React's commit phase.
    const previous = root;
    queueMicrotask(() => previous?.unmount());
    root = null;
    container = element;
    if (element) {
      root = createRoot(element);
      root.render(createElement(PanelErrorBoundary, null, createElement(MedsamPanel, { service })));
    }
  };

  return function MedsamPanelHost() {
    return createElement('div', { ref: mount, className: 'h-full overflow-auto', 'data-medsam-root': '' });
  };
}
