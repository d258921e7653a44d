// index.ts — owns the public API of the perception module: loadModel(),
// classify()/classifyBatch() on the committed default model (loaded lazily
// once), keywords(), and re-exports of the types callers need.
import { Classifier } from './classifier.ts';
import type { Classification, ClassifyOptions } from './classifier.ts';
import { KeywordExtractor } from './keywords.ts';
import type { Keyword, KeywordOptions } from './keywords.ts';
import { DEFAULT_MODEL_PATH, readModelFile } from './model-file.ts';
import type { ModelHeader } from './model-file.ts';

export type { Classification, ClassifyOptions } from './classifier.ts';
export type { Keyword, KeywordOptions } from './keywords.ts';
export type { ModelHeader } from './model-file.ts';
export type { LangOrOther } from './langid.ts';
export type { Lang, Label } from './csv.ts';
export { DEFAULT_MODEL_PATH } from './model-file.ts';

/** A loaded model: classifier + keyword extractor + provenance header. */
export class PerceptionModel {
  readonly header: ModelHeader;
  readonly classifier: Classifier;
  private kw: KeywordExtractor | undefined;

  constructor(classifier: Classifier, header: ModelHeader) {
    this.classifier = classifier;
    this.header = header;
  }

  classify(text: unknown, opt?: ClassifyOptions): Classification {
    return this.classifier.classify(text, opt);
  }

  classifyBatch(texts: readonly unknown[], opt?: ClassifyOptions): Classification[] {
    return this.classifier.classifyBatch(texts, opt);
  }

  keywords(texts: Iterable<unknown>, opt?: KeywordOptions): Keyword[] {
    this.kw ??= new KeywordExtractor(this.classifier.model.background, this.classifier.model.stopwords);
    return this.kw.extract(texts, opt);
  }
}

/** Load a model file (default: the committed model). Throws if unreadable. */
export function loadModel(path: string = DEFAULT_MODEL_PATH): PerceptionModel {
  const { model, header } = readModelFile(path);
  return new PerceptionModel(new Classifier(model), header);
}

let defaultModel: PerceptionModel | undefined;

/** The committed model, loaded on first use and then shared. */
export function defaultPerception(): PerceptionModel {
  defaultModel ??= loadModel();
  return defaultModel;
}

export function classify(text: unknown, opt?: ClassifyOptions): Classification {
  return defaultPerception().classify(text, opt);
}

export function classifyBatch(texts: readonly unknown[], opt?: ClassifyOptions): Classification[] {
  return defaultPerception().classifyBatch(texts, opt);
}

export function keywords(texts: Iterable<unknown>, opt?: KeywordOptions): Keyword[] {
  return defaultPerception().keywords(texts, opt);
}
