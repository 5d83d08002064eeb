// rrweb's numbers, by name (as @rrweb/types defines them; they are part of the recorded format and
// never change). Code that reads recordings compares against these, never against bare digits.

export const EventType = { DomContentLoaded: 0, Load: 1, FullSnapshot: 2, IncrementalSnapshot: 3, Meta: 4, Custom: 5, Plugin: 6 } as const

export const IncrementalSource = {
  Mutation: 0,
  MouseMove: 1,
  MouseInteraction: 2,
  Scroll: 3,
  ViewportResize: 4,
  Input: 5,
  TouchMove: 6,
  MediaInteraction: 7,
  StyleSheetRule: 8,
  CanvasMutation: 9,
  Font: 10,
  Log: 11,
  Drag: 12,
  StyleDeclaration: 13,
  Selection: 14,
  AdoptedStyleSheet: 15,
  CustomElement: 16,
} as const

export const MouseInteraction = { MouseUp: 0, MouseDown: 1, Click: 2, ContextMenu: 3, DblClick: 4, Focus: 5, Blur: 6, TouchStart: 7, TouchMove_Departed: 8, TouchEnd: 9, TouchCancel: 10 } as const

/** Node types of a serialized DOM (rrweb-snapshot's NodeType). */
export const NodeType = { Document: 0, DocumentType: 1, Element: 2, Text: 3, CDATA: 4, Comment: 5 } as const

/** Plugin names in `Plugin` events that Sightline reads. */
export const Plugin = { Console: 'rrweb/console@1', Network: 'rrweb/network@1', PosthogNetwork: 'posthog/network@1' } as const
