/** English explanation of every training-config field, keyed by dotted path: what it does, and when it helps. */

export interface FieldText {
  label: string;
  /** What the setting does. */
  what: string;
  /** When changing it helps (and when it hurts). */
  when: string;
}

export type FieldTexts = Record<string, FieldText>;

function optimizer(net: 'G' | 'D'): FieldTexts {
  const who = net === 'G' ? 'generator' : 'discriminator';
  const p = net === 'G' ? 'optimizerG' : 'optimizerD';
  return {
    [`${p}.type`]: {
      label: `${net} optimizer`,
      what: `The update rule of the ${who}: Adam keeps per-weight momentum and scale; RMSProp only the scale; SGD neither (unless momentum is set).`,
      when: 'Adam suits DCGAN, LSGAN, hinge and WGAN-GP. Plain WGAN with weight clipping was designed for RMSProp, because momentum makes clipped critics unstable.',
    },
    [`${p}.lr`]: {
      label: `${net} learning rate`,
      what: `How far each step moves the ${who}'s weights.`,
      when:
        net === 'G'
          ? 'Too high and training oscillates or diverges; too low and it crawls. 2e-4 is the DCGAN value; lower it (1e-4, 5e-5) when losses swing wildly or turn NaN.'
          : 'Giving D its own rate is TTUR (two time-scale update rule). A faster D (e.g. 4e-4 with G at 1e-4) helps with spectral norm and hinge loss; a slower D helps when D overpowers G.',
    },
    [`${p}.beta1`]: {
      label: `${net} Adam β1`,
      what: 'How much of the previous gradient direction Adam keeps (momentum).',
      when: 'GANs train better with less momentum than usual: 0.5 for DCGAN, 0 or 0.5 for WGAN-GP and SNGAN. The usual 0.9 often makes the two players chase each other.',
    },
    [`${p}.beta2`]: {
      label: `${net} Adam β2 / RMSProp decay`,
      what: 'How long Adam (or RMSProp) remembers the size of past gradients when scaling each step.',
      when: '0.999 is the default; WGAN-GP and SNGAN use 0.9 so that the scale follows a changing critic faster.',
    },
    [`${p}.momentum`]: {
      label: `${net} momentum`,
      what: 'Momentum for SGD and RMSProp (Adam ignores it: β1 plays that role).',
      when: 'Leave at 0 for RMSProp with WGAN; 0.9 can speed up SGD on easy data.',
    },
    [`${p}.schedule`]: {
      label: `${net} learning-rate schedule`,
      what: 'How the learning rate changes over the run: constant, linear decay to 0, or cosine decay to 0.',
      when: 'Decay in long runs lets the networks settle and sharpens final samples; keep constant while exploring.',
    },
    [`${p}.gradClip`]: {
      label: `${net} gradient clipping`,
      what: `Scales the ${who}'s whole gradient down when its norm exceeds this value (0 = off).`,
      when: 'A guard against spikes that throw training off or produce NaN; pick a value a few times above the normal gradient norm (see the gradient-norm chart).',
    },
  };
}

function augmentP(name: string, label: string, what: string): FieldTexts {
  return {
    [`augment.${name}.p`]: {
      label: `${label}: probability`,
      what: `Chance that each real image gets ${what}.`,
      when: 'Classic augmentation multiplies small datasets (article §四), but D sees the augmented images as real: G may learn to produce them too. Keep it low or use DiffAugment/ADA for transforms that change the look.',
    },
  };
}

export const configFieldsEn: FieldTexts = {
  seed: {
    label: 'Seed',
    what: 'Starts every random draw: initial weights, noise, batch order and the fixed noise of the sample grids.',
    when: 'Same seed and settings give the same run. Change it to see how much of a result is luck.',
  },
  steps: {
    label: 'Steps',
    what: 'Number of generator updates to train.',
    when: 'More steps help until samples stop improving; watch the sample timeline. Start short while trying settings.',
  },
  batchSize: {
    label: 'Batch size',
    what: 'Images per batch for both networks.',
    when: 'Larger batches give steadier gradients and statistics (batch norm) but cost memory and time per step; 32–64 is typical. Very small batches make batch norm noisy.',
  },
  latentSize: {
    label: 'Latent size',
    what: 'Length of the noise vector z the generator turns into an image.',
    when: 'Too small limits variety; too large wastes capacity. 64–128 suits small images.',
  },
  'model.arch': {
    label: 'Architecture',
    what: 'DCGAN (plain strided convolutions) or ResNet (residual blocks with skip connections, SNGAN/BigGAN style).',
    when: 'ResNet trains deeper networks more stably (article §一) and usually gives better samples, at a higher cost per step. Start with DCGAN on small images.',
  },
  'model.depth': {
    label: 'Depth',
    what: 'Number of up-sampling blocks in G and down-sampling blocks in D; empty picks it from the image size.',
    when: 'Fewer blocks make a simpler model that is easier to train (article §六: simplify, then grow).',
  },
  'model.gWidth': {
    label: 'G width',
    what: 'Channels of the generator at full resolution; deeper layers have multiples of it.',
    when: 'Wider is more expressive and slower. Narrow it to debug quickly or when G overfits a tiny dataset.',
  },
  'model.dWidth': {
    label: 'D width',
    what: 'Channels of the discriminator at full resolution.',
    when: 'A D much stronger than G wins too easily; narrow D (or widen G) when D overpowers G.',
  },
  'model.gNorm': {
    label: 'G normalization',
    what: 'Normalization inside the generator: batch, layer, instance, spectral or none.',
    when: 'Batch norm is the DCGAN default and helps G train; instance or layer norm avoids batch-to-batch coupling with small batches.',
  },
  'model.gProjectionNorm': {
    label: 'Norm after projection',
    what: 'DCGAN: whether the generator normalizes its first feature map, right after the dense layer that turns z into it. Off: the dense layer gets a bias and goes straight into ReLU.',
    when: 'On is the generator of the DCGAN paper. Off matches generators that normalize only the convolutions (like the PyTorch network of the speed benchmark), and is slightly cheaper.',
  },
  'model.dNorm': {
    label: 'D normalization',
    what: 'Normalization inside the discriminator. Spectral norm keeps each layer 1-Lipschitz (SNGAN).',
    when: 'Spectral norm is the most reliable stabilizer for D. Do not use batch norm with WGAN losses: the gradient penalty is per sample.',
  },
  'model.gConditioning': {
    label: 'G class conditioning',
    what: 'How the generator receives the class: conditional batch norm, or an embedding joined to z.',
    when: 'For datasets with classes (class subfolders) when you want to choose the class of a sample. Needs labels.',
  },
  'model.dConditioning': {
    label: 'D class conditioning',
    what: 'How the discriminator uses the class: a projection term or an ACGAN auxiliary classifier.',
    when: 'Projection is the stronger choice in most papers; ACGAN gives a class loss you can watch but can favour easy-to-classify samples.',
  },
  'model.acganWeight': {
    label: 'ACGAN weight',
    what: 'Weight of the auxiliary classification loss.',
    when: 'Raise it if samples do not match their class; lower it if diversity within a class drops.',
  },
  'model.minibatchStddev': {
    label: 'Minibatch standard deviation',
    what: 'Appends the standard deviation across the batch as an extra feature map in D (ProGAN).',
    when: 'A cheap guard against mode collapse: D can tell a batch of near-identical fakes from varied reals.',
  },
  'model.pixelNorm': {
    label: 'Pixel norm',
    what: 'ProGAN’s pixelwise feature normalization in G: after every hidden layer, each pixel’s feature vector is scaled to unit mean square. DCGAN only; exports (TensorFlow.js, ONNX, the web page) rebuild it from standard layers.',
    when: 'Keeps G’s signal magnitudes from spiralling when D and G compete, which ProGAN relies on instead of batch norm. Useful with progressive growing; rarely needed in a small fixed DCGAN.',
  },
  'model.equalizedLr': {
    label: 'Equalized learning rate',
    what: 'Weights start from N(0, 1) and are scaled by He’s √(2 / fan-in) each time they are used, so every layer learns at the same speed under Adam (ProGAN).',
    when: 'With progressive growing and deep nets, where layers of very different fan-in would otherwise learn at very different rates. It changes how the learning rate acts: ProGAN pairs it with lr 0.001, β1 0, β2 0.99.',
  },
  'model.minibatchDiscrimination.enabled': {
    label: 'Minibatch discrimination',
    what: 'D compares every sample with the rest of its batch (Salimans et al. 2016) and sees those distances as features.',
    when: 'Against mode collapse (article §二): D looks at the batch as a whole, so G is punished for making the same image.',
  },
  'model.minibatchDiscrimination.kernels': {
    label: 'Minibatch kernels (B)',
    what: 'Number of kernels of the tensor T that projects features for comparison.',
    when: 'More kernels detect more kinds of similarity, at a small cost.',
  },
  'model.minibatchDiscrimination.kernelDim': {
    label: 'Kernel dimension (C)',
    what: 'Size of each kernel’s projection.',
    when: 'Rarely worth changing; 5–16 works.',
  },
  'loss.type': {
    label: 'Loss',
    what: 'The adversarial objective: minimax, non-saturating, WGAN, WGAN-GP, hinge or least-squares (LSGAN).',
    when: 'Non-saturating is the safe default. WGAN-GP (article §三) fixes vanishing gradients and gives a loss that tracks quality; LSGAN and hinge are steadier than minimax.',
  },
  'loss.clipValue': {
    label: 'Weight clip (WGAN)',
    what: 'Plain WGAN clips every critic weight to [−c, c] to keep it Lipschitz.',
    when: 'Too large and the critic is not Lipschitz; too small and gradients vanish. WGAN-GP replaces this with a penalty.',
  },
  'loss.gpWeight': {
    label: 'Gradient penalty λ',
    what: 'WGAN-GP weight on (‖∇D(x̂)‖ − 1)² at points between reals and fakes.',
    when: '10 is the paper’s value and rarely needs changing (article §三).',
  },
  'loss.r1Gamma': {
    label: 'R1 penalty γ',
    what: 'Penalizes D’s gradient on real images, γ/2·E‖∇D(x)‖² (0 = off); works with any loss.',
    when: 'Stabilizes D without WGAN; try 0.1–10 when D overpowers G or training oscillates.',
  },
  'loss.nCritic': {
    label: 'D steps per G step',
    what: 'How many discriminator (critic) updates come before each generator update.',
    when: 'Wasserstein losses want a well-trained critic: 5. With other losses keep 1; more makes D overpower G.',
  },
  'stabilizers.labelSmoothing.mode': {
    label: 'Label smoothing',
    what: 'Softer targets for D: one-sided uses 0.9 for reals; two-sided draws reals in [0.7, 0.9] and fakes in [0.1, 0.3] (article §二).',
    when: 'When D becomes over-confident (D(x) → 1, D(G(z)) → 0). Only for BCE losses (minimax, non-saturating).',
  },
  'stabilizers.labelSmoothing.realTarget': {
    label: 'Real target (one-sided)',
    what: 'Target D is trained towards for real images in one-sided smoothing.',
    when: '0.9 is usual; lower smooths more.',
  },
  'stabilizers.labelSmoothing.realMin': {
    label: 'Real target min',
    what: 'Lower end of the random real target (two-sided).',
    when: 'The article gives 0.7–0.9.',
  },
  'stabilizers.labelSmoothing.realMax': {
    label: 'Real target max',
    what: 'Upper end of the random real target (two-sided).',
    when: 'Keep below 1; equal min and max give a fixed target.',
  },
  'stabilizers.labelSmoothing.fakeMin': {
    label: 'Fake target min',
    what: 'Lower end of the random fake target (two-sided).',
    when: 'The article gives 0.1–0.3.',
  },
  'stabilizers.labelSmoothing.fakeMax': {
    label: 'Fake target max',
    what: 'Upper end of the random fake target (two-sided).',
    when: 'Large fake targets reward D for being unsure about fakes; keep it small.',
  },
  'stabilizers.featureMatching.enabled': {
    label: 'Feature matching',
    what: 'G also matches the mean of an intermediate D layer on reals, ‖E f(x) − E f(G(z))‖² (article §二).',
    when: 'Gives G a steadier signal when D overpowers G or samples collapse to few modes.',
  },
  'stabilizers.featureMatching.weight': {
    label: 'Feature matching weight',
    what: 'Weight of the feature-matching term in G’s loss.',
    when: 'Raise it when G’s adversarial signal is unreliable.',
  },
  'stabilizers.featureMatching.adversarialWeight': {
    label: 'Adversarial weight kept',
    what: 'Weight left on G’s usual adversarial loss (0 = feature matching only).',
    when: 'Feature matching alone gives blurrier samples; keep some adversarial weight.',
  },
  'stabilizers.featureMatching.layer': {
    label: 'Feature matching layer',
    what: 'Which D layer G matches: 0 = the last hidden features before D’s output layer; k = the output of D’s block k counted from the image, flattened. At most D’s number of blocks for the image size.',
    when: 'Lower blocks match coarser statistics (edges, colours); the last features match what D judges by. Keep 0 unless you study the choice.',
  },
  'stabilizers.historicalAveraging.gWeight': {
    label: 'Historical averaging (G)',
    what: 'Penalizes G’s weights for straying from their running average, λ‖θ − θ̄‖² (Salimans et al. 2016).',
    when: 'When losses oscillate without settling (article §二).',
  },
  'stabilizers.historicalAveraging.dWeight': {
    label: 'Historical averaging (D)',
    what: 'The same penalty on D’s weights.',
    when: 'When D flips back and forth between strategies.',
  },
  'stabilizers.historicalAveraging.averagedDForG': {
    label: 'G trains against averaged D',
    what: 'The generator’s update uses a discriminator whose weights are the average of its past weights (the article’s reading).',
    when: 'Damps oscillation: G chases a slower-moving target.',
  },
  'stabilizers.instanceNoise.std': {
    label: 'Instance noise σ',
    what: 'Gaussian noise added to every image D sees, real or fake (0 = off).',
    when: 'Early in training real and fake distributions barely overlap and D wins easily; noise makes them overlap. Anneal it away.',
  },
  'stabilizers.instanceNoise.annealSteps': {
    label: 'Instance noise anneal steps',
    what: 'σ decays linearly to 0 over these steps (0 = never).',
    when: 'A third to half of the run is a common choice.',
  },
  'stabilizers.ema.enabled': {
    label: 'EMA of G',
    what: 'Keeps an exponential moving average of G’s weights and uses it for samples and export.',
    when: 'Almost always improves sample quality for free: it averages away the last steps’ jitter.',
  },
  'stabilizers.ema.halfLifeImages': {
    label: 'EMA half-life (images)',
    what: 'Images over which the average forgets half of its past: each step keeps β = 0.5^(batch size / half-life) of it.',
    when: '10 000 (StyleGAN2-ADA’s 10 kimg) suits most runs; shorter for runs of a few thousand steps at small batches.',
  },
  'stabilizers.ema.rampup': {
    label: 'EMA ramp-up',
    what: 'Caps the half-life at this fraction of the images seen so far, so early in a run the average follows G closely (0 = no ramp-up).',
    when: 'Keep 0.05: without it the average holds on to the initial weights for thousands of steps and samples look flat grey.',
  },
  'stabilizers.ema.startStep': {
    label: 'EMA start step',
    what: 'Step from which the average starts (before it, it copies G). While the average warms up, samples show the raw G beside it.',
    when: 'Skip the first chaotic steps in long runs.',
  },
  'augment.flip': {
    label: 'Horizontal flip',
    what: 'Chance that each real image is mirrored left to right.',
    when: 'Free extra data for faces, animals and scenes; wrong for digits and text, where mirroring changes meaning.',
  },
  ...augmentP('rotation', 'Rotation', 'a small random rotation'),
  'augment.rotation.degrees': {
    label: 'Rotation: degrees',
    what: 'Largest rotation either way.',
    when: 'A few degrees add variety; large angles produce images unlike the data.',
  },
  ...augmentP('scale', 'Scale', 'a random zoom in or out'),
  'augment.scale.amount': {
    label: 'Scale: amount',
    what: 'Largest relative zoom.',
    when: '0.1 means ±10 %.',
  },
  ...augmentP('translation', 'Translation', 'a random shift'),
  'augment.translation.fraction': {
    label: 'Translation: fraction',
    what: 'Largest shift as a fraction of the image side.',
    when: '0.125 (an eighth) is the DiffAugment value.',
  },
  ...augmentP('crop', 'Crop', 'a random crop resized back'),
  'augment.crop.fraction': {
    label: 'Crop: fraction',
    what: 'Side of the crop as a fraction of the image.',
    when: 'Closer to 1 changes less.',
  },
  ...augmentP('colorJitter', 'Color jitter', 'random brightness, contrast and saturation changes'),
  'augment.colorJitter.brightness': {
    label: 'Color jitter: brightness',
    what: 'Largest brightness change.',
    when: 'Small values mimic lighting changes.',
  },
  'augment.colorJitter.contrast': {
    label: 'Color jitter: contrast',
    what: 'Largest contrast change.',
    when: 'Small values mimic camera differences.',
  },
  'augment.colorJitter.saturation': {
    label: 'Color jitter: saturation',
    what: 'Largest saturation change (no effect on grayscale).',
    when: 'Small values mimic color balance differences.',
  },
  ...augmentP('cutout', 'Cutout', 'a random square blanked out'),
  'augment.cutout.fraction': {
    label: 'Cutout: fraction',
    what: 'Side of the blanked square as a fraction of the image.',
    when: 'A quarter is the DiffAugment value.',
  },
  ...augmentP('noise', 'Pixel noise', 'Gaussian pixel noise'),
  'augment.noise.std': {
    label: 'Pixel noise: σ',
    what: 'Standard deviation of the noise, in the [−1, 1] pixel range.',
    when: 'Keep small: G would learn to produce the noise.',
  },
  'augment.diffAugment': {
    label: 'DiffAugment policies',
    what: 'Differentiable transforms applied in the same way to real and fake images inside D’s loss (Zhao et al. 2020).',
    when: 'For small datasets (hundreds to a few thousand images): D cannot memorize the reals, and G does not learn the augmentations.',
  },
  'augment.ada.enabled': {
    label: 'Adaptive augmentation (ADA)',
    what: 'Raises or lowers the probability p of the DiffAugment policies from how sure D is on reals (StyleGAN2-ADA).',
    when: 'When you cannot guess how much augmentation the data needs; watch aug p and r_t on the run page.',
  },
  'augment.ada.target': {
    label: 'ADA target r_t',
    what: 'Target of r_t = E[sign(D(x_real))]: above it D is overfitting and p goes up.',
    when: '0.6 is the paper’s value.',
  },
  'augment.ada.interval': {
    label: 'ADA interval',
    what: 'Steps between updates of p.',
    when: 'Rarely needs changing.',
  },
  'augment.ada.speedImages': {
    label: 'ADA speed (images)',
    what: 'Images it takes p to go from 0 to 1 at full overfitting.',
    when: 'Lower reacts faster on short runs; higher is smoother.',
  },
  ...optimizer('G'),
  ...optimizer('D'),
  'intervals.metricsEvery': {
    label: 'Metrics every',
    what: 'Steps between metric points sent to the charts.',
    when: 'Lower gives finer curves for short runs; 10 or more keeps long runs light.',
  },
  'intervals.sampleEvery': {
    label: 'Samples every',
    what: 'Steps between fixed-noise sample grids (the gallery timeline).',
    when: 'Often enough to see progress (article §六: watch the samples), rarely enough not to slow training.',
  },
  'intervals.checkpointEvery': {
    label: 'Checkpoint every',
    what: 'Steps between checkpoints (resume, fork, evaluation, NaN rewind).',
    when: 'Frequent checkpoints lose less on a crash or NaN and give more points to fork from.',
  },
  sampleGridSize: {
    label: 'Sample grid size',
    what: 'The sample grid shows N × N images from fixed noise.',
    when: 'Bigger grids show mode collapse better; smaller ones are quicker to render.',
  },
  'evaluation.everyCheckpoints': {
    label: 'Evaluate every k-th checkpoint',
    what: 'Scores the generator at every k-th checkpoint, and at the last one, on the bundled feature network (nsfwjs MobileNetV2, 1792-d; not Inception, so never FID): FD, KID and precision/recall, shown in the run page’s Quality chart with the seconds each took. The best checkpoint is the evaluated one with the lowest KID; a checkpoint waiting for its evaluation is not pruned. 0 turns it off: then the best is simply the newest checkpoint (no quality metric).',
    when: 'Turn it on to find the best checkpoint by what the images look like, not by a loss. Each evaluation takes tens of seconds on the CPU and runs beside training in the trainer worker: on a machine with 2 cores it slows training while it runs, so evaluate every few checkpoints there.',
  },
  'evaluation.n': {
    label: 'Evaluation images (N)',
    what: 'Generated images scored per evaluation, and real images of the dataset they are measured against (fewer if the dataset is smaller).',
    when: 'More images give steadier values and take longer (about 60 ms per image on one CPU thread). Values compare only with values measured the same way: same network, N, preprocessing and backend.',
  },
  'task.kind': {
    label: 'Task',
    what: 'What the run learns. Generate: images from noise (every technique of this editor). Paired translation (pix2pix, Isola et al. 2017): a U-Net G turns an input image into its target, judged by a conditional PatchGAN D on (input, output) pairs with adversarial + λ·L1 losses. Unpaired translation (CycleGAN, Zhu et al. 2017): two U-Nets map between two datasets that have no pairs, kept honest by cycle consistency.',
    when: 'Choose paired for restoring images (inpainting, super-resolution, colorization: built from this dataset on the fly); unpaired for changing the style of one set of images into another’s (e.g. photos into paintings).',
  },
  'task.source': {
    label: 'Paired task',
    what: 'How each training pair is made from one image: inpainting masks holes out of it (the mask is an extra input channel), super-resolution downscales it and upscales it back bicubically, colorization turns it grey; the image itself is the target. Pairs: the run’s dataset holds the inputs and the domain B dataset (the other half of a paired import) the targets, image for image.',
    when: 'The masks and degradations come from the run’s seeded streams, so a run is reproducible and resumes exactly. Colorization needs colour images.',
  },
  'task.mask': {
    label: 'Inpainting holes',
    what: 'Rectangle: one axis-aligned hole per image, a quarter to a half of the side. Strokes: free-form thick strokes, as in DeepFill v2.',
    when: 'Strokes are harder and closer to scratches and objects people remove; rectangles are easier to judge.',
  },
  'task.scale': {
    label: 'Super-resolution factor',
    what: 'The input is the image downscaled by this factor (2 or 4), then upscaled back bicubically to full size: the translator learns to add the detail bicubic cannot.',
    when: '×4 is much harder than ×2 and needs longer training; the validation chart shows the bicubic PSNR (the baseline) to beat.',
  },
  'task.filter': {
    label: 'Downscale filter',
    what: 'The filter the image is downscaled with: area (block average), bilinear or bicubic (Catmull-Rom, antialiased like sharp’s cubic kernel).',
    when: 'Match how the low-resolution images you will upscale were made; bicubic is the common default.',
  },
  'task.l1Weight': {
    label: 'L1 weight (λ)',
    what: 'Paired: g_loss = adversarial + λ · mean |G(x) − y|. pix2pix uses 100.',
    when: 'Higher keeps outputs close to the target but blurrier; lower lets the adversarial term add sharper (possibly invented) detail. 0 is a pure conditional GAN.',
  },
  'task.perceptualWeight': {
    label: 'Perceptual weight (λ_p)',
    what: 'Paired: adds λ_p · the mean |φ(G(x)) − φ(y)| over the two conv layers of the dataset’s in-domain classifier (the targets’ dataset for stored pairs) to g_loss. 0 turns it off.',
    when: 'Try 1–10 when L1 alone gives blurry outputs: features reward matching strokes and edges, not exact pixels. Needs a dataset with classes and a held-out split whose classifier is ready; costs about one more small forward and backward pass per step.',
  },
  'task.datasetB': {
    label: 'Domain B dataset',
    what: 'Unpaired: the dataset of the domain the run translates into. The run’s own dataset is domain A. Both must have one image size and channel count.',
    when: 'Import both folders at the same size first.',
  },
  'task.cycleWeight': {
    label: 'Cycle weight (λ)',
    what: 'Unpaired: the weight of the cycle-consistency L1, |G_BA(G_AB(a)) − a| + |G_AB(G_BA(b)) − b|. CycleGAN uses 10.',
    when: 'Higher keeps content (shapes) from A; lower lets the translation change more.',
  },
  'task.identityWeight': {
    label: 'Identity weight',
    what: 'Unpaired: the identity loss |G_AB(b) − b| + |G_BA(a) − a|, weighted by this times the cycle weight (CycleGAN: 0.5).',
    when: 'Keeps colours and tints from drifting when both domains share a palette (photos ↔ paintings); 0 turns it off.',
  },
  'task.poolSize': {
    label: 'Image pool',
    what: 'Unpaired: D learns from a history of this many past translations: once full, each new one is swapped for a stored one half the time (Shrivastava et al. 2017; CycleGAN uses 50).',
    when: 'Damps the oscillation of D chasing G’s newest output; 0 shows D only the current batch.',
  },
  'progressive.enabled': {
    label: 'Progressive growing',
    what: 'Trains G and D one resolution at a time (ProGAN, Karras et al. 2018): they start small, and each larger side’s block fades in over a number of images. DCGAN only. The charts mark where each side starts and ends fading in; samples of the early sides are stored upscaled.',
    when: 'For larger images (64 and up), where learning coarse structure first makes training quicker and steadier. At 28 × 28 or below it gains little. A Grow of a run to a larger size turns it on for the new blocks.',
  },
  'progressive.startSize': {
    label: 'Start size',
    what: 'The image side training starts at: one of the sides G’s blocks draw below the full one (for 64 × 64 at depth 3: 16 or 32).',
    when: 'Smaller starts learn the overall layout quickly; starting near the full size leaves little to grow.',
  },
  'progressive.phaseImages': {
    label: 'Images per phase',
    what: 'Images each resolution trains on at full strength, after its fade, before the next side fades in. The last side trains until the run’s steps end.',
    when: 'ProGAN used 600 000 per phase on faces; for small datasets a few epochs a phase are enough. Too few and each side starts before the last one settled.',
  },
  'progressive.fadeImages': {
    label: 'Fade-in images',
    what: 'Images over which a new side fades in: α rises from 0 to 1, blending the previous side’s output upscaled with the new block, in G and in D’s input alike.',
    when: 'Longer fades are gentler on a trained net; very short ones shock it (losses jump at the solid marks on the charts).',
  },
  'progressive.firstPhaseImages': {
    label: 'First phase images',
    what: 'Images of the first, smallest side before the first fade. Empty uses “Images per phase”.',
    when: 'A Grow sets 0: the parent already trained the smaller side, so the new block fades in from the first step.',
  },
  'progressive.phases': {
    label: 'Per-size settings',
    what: 'Optional rows for single sides: their batch size and G’s and D’s learning rates; an empty cell keeps the run’s own value.',
    when: 'ProGAN shrinks the batch as the images grow so a step fits in memory; a lower learning rate at the largest side can steady the end of training.',
  },
  'compute.threads': {
    label: 'CPU threads',
    what: 'How many threads the wasm backend computes on; empty uses every core (wasm uses at most 8). `--threads N` on the command line overrides it for every run.',
    when: 'All cores train fastest. Fewer leave cores free for other work. A run resumes bit for bit only on the same backend and thread count; a change is noted in its events.',
  },
};
