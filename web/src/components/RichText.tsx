// The body editor (TipTap): bold, italic, h2/h3, lists, quote and links, with a labelled toolbar.
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Link from '@tiptap/extension-link';
import { useT } from '../i18n.tsx';

export function RichText({ value, onChange, label, testId }: { value: string; onChange: (html: string) => void; label: string; testId: string }) {
  const { t } = useT();
  const labelId = useId();
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('https://');
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ heading: { levels: [2, 3] }, link: false, code: false, codeBlock: false, horizontalRule: false, underline: false, strike: false }),
      Link.configure({ openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'], HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null } }),
    ],
    content: value,
    editorProps: {
      attributes: { class: 'rte__content', 'data-testid': testId, 'aria-labelledby': labelId, role: 'textbox', 'aria-multiline': 'true' },
    },
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : e.getHTML()),
  });

  // Replace the content when it changes from outside (load, restore, "use newer version").
  useEffect(() => {
    if (!editor) return;
    const current = editor.isEmpty ? '' : editor.getHTML();
    if (value !== current) editor.commands.setContent(value || '', { emitUpdate: false });
  }, [editor, value]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => (e
      ? {
          bold: e.isActive('bold'), italic: e.isActive('italic'), h2: e.isActive('heading', { level: 2 }), h3: e.isActive('heading', { level: 3 }),
          ul: e.isActive('bulletList'), ol: e.isActive('orderedList'), quote: e.isActive('blockquote'), link: e.isActive('link'),
        }
      : null),
  });

  const btn = (key: string, pressed: boolean | undefined, text: ReactNode, title: string, run: () => void) => (
    <button key={key} type="button" className="rte__btn" aria-pressed={pressed ? 'true' : 'false'} title={title} aria-label={title} onMouseDown={(e) => e.preventDefault()} onClick={run} data-testid={`rte-${key}`}>
      {text}
    </button>
  );

  const applyLink = () => {
    if (!editor) return;
    const url = href.trim();
    if (!url || url === 'https://') editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
    setLinkOpen(false);
  };

  return (
    <div className="field">
      <span className="field__label" id={labelId}>{label}</span>
      <div className="rte">
        <div className="rte__toolbar" role="toolbar" aria-label={t('rte.toolbar')}>
          {btn('bold', state?.bold, 'B', t('rte.bold'), () => editor?.chain().focus().toggleBold().run())}
          {btn('italic', state?.italic, 'I', t('rte.italic'), () => editor?.chain().focus().toggleItalic().run())}
          {btn('h2', state?.h2, 'H2', t('rte.h2'), () => editor?.chain().focus().toggleHeading({ level: 2 }).run())}
          {btn('h3', state?.h3, 'H3', t('rte.h3'), () => editor?.chain().focus().toggleHeading({ level: 3 }).run())}
          {btn('ul', state?.ul, '••', t('rte.ul'), () => editor?.chain().focus().toggleBulletList().run())}
          {btn('ol', state?.ol, '1.', t('rte.ol'), () => editor?.chain().focus().toggleOrderedList().run())}
          {btn('quote', state?.quote, '❝', t('rte.quote'), () => editor?.chain().focus().toggleBlockquote().run())}
          {btn('link', state?.link, <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round"><path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" /><path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" /></svg>, t('rte.link'), () => {
            setHref((editor?.getAttributes('link')['href'] as string | undefined) ?? 'https://');
            setLinkOpen((o) => !o);
          })}
        </div>
        {linkOpen && (
          <div className="rte__link">
            <label className="sr-only" htmlFor={`${labelId}-href`}>{t('rte.linkUrl')}</label>
            <input id={`${labelId}-href`} type="url" inputMode="url" value={href} onChange={(e) => setHref(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); applyLink(); } }} data-testid="rte-link-url" />
            <button type="button" className="btn btn--small btn--primary" onClick={applyLink}>{t('rte.linkApply')}</button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => { editor?.chain().focus().unsetLink().run(); setLinkOpen(false); }}>{t('rte.linkRemove')}</button>
          </div>
        )}
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}
