package main

// The hand-written material the generator combines. Every sentence here was
// written for RLHF Playground; nothing is copied from elsewhere.

// A qa is a training prompt and a helpful, correct answer to it.
type qa struct{ q, a string }

// A topic groups prompts and sentences about one everyday subject.
type topic struct {
	name    string   // as used in a sentence: "tea", "the weather"
	qas     []qa     // training prompts with their helpful answers
	heldout []string // evaluation prompts: never trained on, never in the corpus
	facts   []string // more true sentences: corpus, detailed answers, off-topic answers
	wrong   []string // false sentences: corpus ("some people say ...") and wrong answers
}

var topics = []topic{
	{
		name: "tea",
		qas: []qa{
			{"how do i make tea?", "boil water, pour it over the tea, and wait three minutes."},
			{"how long should tea steep?", "most tea should steep for three to five minutes."},
			{"is green tea good for me?", "yes, green tea is a healthy drink with no sugar."},
			{"what can i add to my tea?", "you can add milk, honey or a slice of lemon."},
			{"where does tea come from?", "tea comes from the leaves of a plant that grows in warm places."},
			{"does tea have caffeine?", "black and green tea have some caffeine, but herbal tea has none."},
			{"what tea is good before bed?", "herbal tea is good before bed because it has no caffeine."},
			{"why is my tea bitter?", "tea gets bitter when the water is too hot or it steeps too long."},
			{"tell me about tea.", "tea is a warm drink made from leaves, and people drink it all over the world."},
			{"can you recommend a tea for the morning?", "black tea is strong and good for the morning."},
			{"should i drink tea or coffee?", "tea has less caffeine than coffee, so it is better for your sleep."},
		},
		heldout: []string{"how hot should the water be for tea?", "can i drink cold tea?", "what is the best tea for a cold day?"},
		facts: []string{
			"green tea is best with water that is hot but not boiling.",
			"black tea goes well with milk.",
			"a cup of tea in the afternoon helps many people relax.",
			"use one spoon of tea for each cup.",
		},
		wrong: []string{"tea is made from rocks.", "tea should steep in cold sand for two hours.", "you make tea with plastic leaves."},
	},
	{
		name: "coffee",
		qas: []qa{
			{"how do i make good coffee?", "grind fresh beans, use hot water, and drink it soon."},
			{"is coffee bad for me?", "one or two cups a day is fine for most people."},
			{"why can i not sleep after coffee?", "coffee has caffeine, which keeps you awake for many hours."},
			{"what is coffee made from?", "coffee is made from roasted coffee beans."},
			{"how much coffee is too much?", "more than four cups a day is too much for most people."},
			{"can you tell me about coffee?", "coffee is a dark, bitter drink that helps many people wake up."},
			{"why is my coffee so bitter?", "it may be too strong, so try less coffee or more water."},
			{"should i drink coffee at night?", "no, coffee at night can keep you awake, so try warm milk instead."},
			{"how do i make coffee less bitter?", "add a little milk, or use less coffee in each cup."},
			{"what goes well with coffee?", "coffee goes well with bread, cake or a little chocolate."},
		},
		heldout: []string{"how should i store coffee beans?", "can children drink coffee?", "is cold coffee good in summer?"},
		facts: []string{
			"grind the beans just before you make coffee.",
			"coffee with milk is softer and less bitter.",
			"try not to drink coffee after lunch if you want to sleep well.",
			"many people drink coffee in the morning to wake up.",
			"store coffee beans in a closed box in a cool place.",
		},
		wrong: []string{"coffee is made from small rocks.", "drink ten cups of coffee before bed to sleep well.", "coffee beans grow on the moon."},
	},
	{
		name: "food",
		qas: []qa{
			{"what should i eat for breakfast?", "try oats with fruit, or eggs with bread and a glass of water."},
			{"what is a healthy lunch?", "a healthy lunch has vegetables, some rice or bread, and beans or fish."},
			{"what can i eat for a quick snack?", "fruit, nuts or a piece of bread with cheese make a quick snack."},
			{"is it bad to skip breakfast?", "it is not always bad, but a small breakfast gives you energy."},
			{"what should i eat for dinner?", "rice with vegetables and eggs makes an easy dinner."},
			{"how can i eat more vegetables?", "add vegetables to soup, rice and eggs, and keep some ready to eat."},
			{"tell me about apples.", "apples are sweet fruit that grow on trees in the autumn."},
			{"what food is good on a cold day?", "hot soup is warm and good on a cold day."},
			{"is sugar bad for me?", "a little sugar is fine, but too much is bad for your teeth and health."},
			{"what fruit is good in summer?", "peaches and berries are sweet and fresh in summer."},
			{"how much water should i drink?", "most people should drink six to eight glasses of water a day."},
		},
		heldout: []string{"what should i eat before running?", "is bread healthy?", "what is a good snack for children?"},
		facts: []string{
			"fresh fruit is a sweet and healthy snack.",
			"eat vegetables every day to stay healthy.",
			"drink water with your meals.",
			"beans are cheap and good for you.",
		},
		wrong: []string{"apples grow under the sea.", "eating only sugar is the healthiest meal.", "vegetables are made of plastic."},
	},
	{
		name: "cooking",
		qas: []qa{
			{"how do i cook rice?", "use two cups of water for each cup of rice and cook it for twenty minutes."},
			{"how long should i boil an egg?", "boil an egg for seven minutes for a soft egg, or ten minutes for a hard one."},
			{"how do i make soup?", "cook vegetables in water with salt until they are soft, then add herbs."},
			{"how do i cook pasta?", "boil salted water, add the pasta, and cook it for about ten minutes."},
			{"can you help me bake bread?", "mix flour, water, salt and yeast, let it rise, then bake it in a hot oven."},
			{"what should i cook for my friends?", "pasta with vegetables is easy, cheap, and most people like it."},
			{"how do i cut onions without crying?", "use a sharp knife and put the onion in the fridge first."},
			{"what is an easy meal to cook?", "eggs with rice and vegetables is easy and ready in fifteen minutes."},
			{"how do i keep food fresh?", "keep food in the fridge in closed boxes and eat it within a few days."},
			{"how much salt should i use?", "start with a little salt, taste, and add more only if you need it."},
			{"tell me about cooking.", "cooking is making food with heat, and it is a useful skill to learn."},
		},
		heldout: []string{"how do i make a salad?", "how do i fry an egg?", "what should i cook on a busy day?"},
		facts: []string{
			"wash your hands before you cook.",
			"cut the vegetables into small pieces so they cook evenly.",
			"keep the knife sharp and cut slowly.",
			"taste your food while you cook.",
			"a salad is fresh vegetables with a little oil and salt.",
			"fry an egg in a hot pan with a little oil.",
		},
		wrong: []string{"cook rice in a cold oven for a week.", "pasta cooks best in cold sand.", "eggs must boil for three hours."},
	},
	{
		name: "the weather",
		qas: []qa{
			{"what should i wear when it is cold?", "wear a warm coat, a hat and gloves when it is cold."},
			{"will it rain today?", "i cannot see the sky, but a weather report will tell you."},
			{"what should i do on a rainy day?", "read a book, cook something warm, or watch a film at home."},
			{"how do i stay cool in summer?", "drink water, stay in the shade, and wear light clothes."},
			{"why is the sky blue?", "the air scatters sunlight, and blue light scatters the most."},
			{"what is snow?", "snow is frozen water that falls from the clouds when it is very cold."},
			{"do i need an umbrella today?", "if the sky is gray, take an umbrella to be safe."},
			{"tell me about the weather in spring.", "spring is often mild, with rain, sun, and new flowers."},
			{"why is it windy today?", "wind comes when warm air and cold air move around."},
			{"is it safe to walk in a storm?", "no, it is safer to stay inside until the storm passes."},
			{"what should i wear on a hot day?", "wear light clothes, a hat, and sunscreen on a hot day."},
		},
		heldout: []string{"how can i stay warm in winter?", "why do we have seasons?", "what should i do when it snows?"},
		facts: []string{
			"check the weather before you go out.",
			"the sun is strong at noon, so wear a hat.",
			"wind can make a cold day feel colder.",
			"it often rains in the spring.",
			"the four seasons are spring, summer, autumn and winter.",
		},
		wrong: []string{"snow is hot and falls in summer.", "the sun comes out only at night.", "rain falls up from the ground to the moon."},
	},
	{
		name: "pets",
		qas: []qa{
			{"how do i take care of a cat?", "give your cat food, fresh water, a clean box, and some play."},
			{"tell me about cats.", "cats are quiet, clever pets that sleep a lot and like warm places."},
			{"how often should i walk my dog?", "most dogs need a walk at least twice a day."},
			{"what should i feed my dog?", "feed your dog dog food and fresh water, but no chocolate."},
			{"why does my cat sleep so much?", "cats often sleep twelve to sixteen hours a day, which is normal."},
			{"is a dog or a cat better for me?", "a cat needs less time, but a dog is great if you like walks."},
			{"how do i keep a fish healthy?", "keep the water clean and give your fish a small amount of food."},
			{"can you help me train my dog?", "use short lessons, simple words, and give a treat when it listens."},
			{"why does my dog bark?", "dogs bark when they are bored, scared, or want your attention."},
			{"what pet is good for a small flat?", "a cat or a fish is good for a small flat."},
			{"tell me about dogs.", "dogs are loyal, friendly pets that need walks, play, and love."},
		},
		heldout: []string{"how do i wash my dog?", "what toys do cats like?", "how old can a cat get?"},
		facts: []string{
			"give your pet fresh water every day.",
			"take your pet to the vet once a year.",
			"cats can see well in the dark.",
			"dogs are happy when they can run and play.",
			"cats like small toys and balls.",
		},
		wrong: []string{"cats can fly over the house.", "fish live in trees and eat rocks.", "dogs do not need water."},
	},
	{
		name: "sleep",
		qas: []qa{
			{"can you help me sleep better?", "go to bed at the same time each night and keep your room dark."},
			{"how many hours should i sleep?", "most adults need seven to nine hours of sleep each night."},
			{"why can i not fall asleep?", "stress, coffee, or screens late at night can keep you awake."},
			{"is it bad to nap?", "a short nap of twenty minutes is fine and can help you feel fresh."},
			{"what should i do before bed?", "turn off screens, read a book, or take a warm bath."},
			{"how do i wake up early?", "go to bed earlier and put your alarm across the room."},
			{"why do i feel tired all day?", "you may need more sleep, water, or exercise, or you could see a doctor."},
			{"tell me about sleep.", "sleep helps your body and mind rest and stay healthy."},
			{"should i use my phone in bed?", "it is better not to, because the light can keep you awake."},
			{"what room is best for sleep?", "a dark, cool, and quiet room is best for sleep."},
			{"is it ok to sleep late on weekends?", "a little is fine, but a steady time helps you sleep better."},
		},
		heldout: []string{"how can i stop snoring?", "what should i drink before bed?", "why do we dream?"},
		facts: []string{
			"put your phone away an hour before bed.",
			"a warm bath before bed can help you relax.",
			"reading a book can help you fall asleep.",
			"keep your bedroom cool and quiet.",
			"snoring is often worse when you sleep on your back.",
			"we dream most in the early morning.",
		},
		wrong: []string{"you only need two hours of sleep a night.", "coffee before bed helps you sleep.", "sleeping on the roof is best."},
	},
	{
		name: "school",
		qas: []qa{
			{"how can i study better?", "study a little every day, take short breaks, and test yourself."},
			{"how do i get ready for a test?", "review your notes each day, sleep well, and eat breakfast on the day."},
			{"can you help me with my homework?", "yes, tell me the question and we can work through it together."},
			{"how do i remember new words?", "write them down, say them out loud, and use them in sentences."},
			{"why is math hard?", "math builds on old lessons, so practice the basics first."},
			{"how can i take good notes?", "write the main ideas in your own words and keep them short."},
			{"what if i do not understand the teacher?", "ask the teacher after class, or ask a friend to explain."},
			{"how do i stay focused when i study?", "put your phone away and study for twenty minutes, then rest."},
			{"tell me about school.", "school is where children learn to read, write, count and work with others."},
			{"how do i make friends at school?", "say hello, ask questions, and join a club or team."},
			{"is it good to study with music?", "quiet music can help some people, but songs with words can distract you."},
		},
		heldout: []string{"how can i learn faster?", "what should i bring to school?", "how do i write a good story?"},
		facts: []string{
			"ask the teacher when you do not understand.",
			"sleep well before a test.",
			"make a plan for your homework.",
			"take short breaks when you study.",
		},
		wrong: []string{"studying makes your brain smaller.", "you should never read before a test.", "math was invented on the moon last year."},
	},
	{
		name: "travel",
		qas: []qa{
			{"how do i pack for a trip?", "pack light, bring only what you need, and make a list first."},
			{"what should i bring on a long flight?", "bring water, a book, a warm sweater and something to eat."},
			{"how can i travel cheap?", "buy tickets early, take the train or bus, and stay in small hotels."},
			{"is the train better than the bus?", "the train is often faster and more comfortable, but the bus is cheaper."},
			{"how do i not get lost in a new city?", "carry a map, learn the main streets, and ask people for help."},
			{"what should i do on a long train ride?", "read, listen to music, watch the view, or take a nap."},
			{"tell me about travel.", "travel lets you see new places, try new food and meet new people."},
			{"how do i keep my passport safe?", "keep your passport in a closed bag close to your body."},
			{"what should i learn before a trip?", "learn a few words of the local language, like hello and thank you."},
			{"where should i go on holiday?", "go to the sea if you like to swim, or the mountains if you like to walk."},
			{"how early should i get to the airport?", "get to the airport two hours before your flight."},
		},
		heldout: []string{"how do i find a good hotel?", "what should i do on my first day in a new city?", "how do i travel with a dog?"},
		facts: []string{
			"check the map before you leave.",
			"drink water and walk around on long trips.",
			"keep some money in a safe place.",
			"buy your train ticket early to save money.",
			"a small hotel is often cheap and friendly.",
		},
		wrong: []string{"trains fly over the sea.", "you never need a passport to go anywhere.", "the sea is on the moon."},
	},
	{
		name: "sports",
		qas: []qa{
			{"how do i start running?", "start with short, slow runs three times a week and walk when you need to."},
			{"what sport is good for me?", "swimming and walking are easy on the body and good for most people."},
			{"how do i stay fit at home?", "do push ups, squats and stretches for twenty minutes a day."},
			{"tell me about football.", "football is a game of two teams of eleven players who kick a ball into a goal."},
			{"should i stretch before exercise?", "yes, warm up and stretch gently before and after exercise."},
			{"how often should i exercise?", "try to move for thirty minutes on most days of the week."},
			{"why do my legs hurt after running?", "your muscles are tired, so rest, drink water and stretch."},
			{"how do i swim faster?", "practice your kicks, breathe slowly, and keep your body flat."},
			{"is walking good exercise?", "yes, walking every day is good for your heart and mood."},
			{"what should i eat after sport?", "eat some fruit and bread, and drink plenty of water."},
			{"how can i get better at tennis?", "practice often, watch the ball, and play with better players."},
		},
		heldout: []string{"how do i learn to ride a bike?", "what is the best time to exercise?", "how do i play basketball?"},
		facts: []string{
			"stretch before and after you run.",
			"drink water when you play sports.",
			"start slowly and rest when you are tired.",
			"swimming is good for the whole body.",
			"basketball is played by two teams with a ball and a high basket.",
		},
		wrong: []string{"running is bad for every person.", "football is played with ten balls and no goal.", "you should never drink water when you play sports."},
	},
	{
		name: "music",
		qas: []qa{
			{"how do i learn the guitar?", "start with a few simple chords and practice fifteen minutes every day."},
			{"what music helps me relax?", "slow, quiet music like soft piano can help you relax."},
			{"how can i sing better?", "breathe deeply, warm up your voice, and practice often."},
			{"tell me about the piano.", "the piano has black and white keys, and you play it with both hands."},
			{"is it too late to learn music?", "no, people of any age can learn music with practice."},
			{"how long should i practice piano?", "twenty or thirty minutes a day is a good start."},
			{"why do people like music?", "music can make people feel happy, calm, or close to others."},
			{"can you recommend a song for a party?", "pick a fast, happy song that everyone knows and can dance to."},
			{"how do i read music?", "learn the names of the notes first, then practice reading simple songs."},
			{"what instrument is easy to learn?", "the piano and the drums are easy for beginners."},
		},
		heldout: []string{"how do i write a song?", "what music is good for studying?", "how do i play the drums?"},
		facts: []string{
			"listen to a song many times to learn it.",
			"singing with friends is fun.",
			"a guitar has six strings.",
			"practice a little every day.",
		},
		wrong: []string{"a guitar has twenty strings.", "music is only for old people.", "you play the piano with your feet."},
	},
	{
		name: "books",
		qas: []qa{
			{"what book should i read?", "try a short story or a book about something you already love."},
			{"how can i read more?", "read ten pages every night before bed and keep a book with you."},
			{"tell me about books.", "books hold stories and ideas, and you can borrow them from a library."},
			{"how do i get my child to read?", "read together every night and let your child pick the books."},
			{"is it better to read on paper or a screen?", "both are fine, but paper is easier on the eyes at night."},
			{"how do i remember what i read?", "write a few notes after each chapter and tell a friend about it."},
			{"where can i get books for free?", "your local library lends books for free."},
			{"why should i read books?", "reading teaches you new words, new ideas, and helps you relax."},
			{"what should i read on a trip?", "a light, fun story is good for a trip."},
			{"how do i start a book club?", "invite a few friends, pick a book, and meet once a month."},
		},
		heldout: []string{"how do i choose a good book?", "is it good to read before sleep?", "how can i read faster?"},
		facts: []string{
			"the library lends books for free.",
			"short stories are a good place to start.",
			"reading helps you learn new words.",
			"read a little every night before bed.",
		},
		wrong: []string{"books are made of water.", "reading makes your eyes fall out.", "the library sells fish and rocks."},
	},
	{
		name: "health",
		qas: []qa{
			{"how can i stay healthy?", "eat well, move every day, sleep enough, and drink water."},
			{"what should i do when i have a cold?", "rest, drink warm water or tea, and stay home for a few days."},
			{"how do i lower stress?", "take slow breaths, go for a walk, and talk to a friend."},
			{"when should i see a doctor?", "see a doctor if you have a high fever or feel very sick."},
			{"how often should i brush my teeth?", "brush your teeth twice a day for two minutes."},
			{"why should i wash my hands?", "washing your hands stops germs from making you sick."},
			{"is it good to drink water?", "yes, water keeps your body working well, so drink it often."},
			{"how can i feel less tired?", "sleep well, eat regular meals, drink water, and go outside."},
			{"what should i do if my head hurts?", "drink water, rest in a quiet room, and see a doctor if it lasts."},
			{"tell me about exercise and health.", "exercise makes your heart strong and helps you sleep and feel better."},
			{"how can i eat less sugar?", "drink water instead of soda and eat fruit when you want something sweet."},
		},
		heldout: []string{"how do i stop feeling sad?", "is it good to walk after meals?", "how can i keep my eyes healthy?"},
		facts: []string{
			"wash your hands often to stay healthy.",
			"walking every day is good for your heart.",
			"too much sugar is bad for your teeth.",
			"rest and drink water when you have a cold.",
			"talk to a friend if you are feeling sad for a long time.",
		},
		wrong: []string{"eating rocks is good for your health.", "you should never wash your hands.", "sugar is good for your teeth."},
	},
	{
		name: "plants",
		qas: []qa{
			{"how often should i water my plants?", "water your plants when the top of the soil is dry."},
			{"why are my plant leaves yellow?", "yellow leaves often mean too much water, so let the soil dry a little."},
			{"how do i grow tomatoes?", "plant them in a sunny spot, water them often, and tie them to a stick."},
			{"what plant is easy to keep?", "a cactus is easy and needs little water."},
			{"do plants need sun?", "yes, most plants need sun to make food and grow."},
			{"how do i start a garden?", "start small with a few easy plants in a sunny place."},
			{"tell me about plants.", "plants make their food from sunlight, water and air."},
			{"where should i put my plant?", "put it near a bright window, but not in hot sun all day."},
			{"when should i plant seeds?", "plant most seeds in the spring when the soil is warm."},
			{"why is my plant dying?", "check the water, the light and the soil, because one of them is probably wrong."},
		},
		heldout: []string{"how do i grow herbs in my kitchen?", "can plants grow without soil?", "why do leaves fall in autumn?"},
		facts: []string{
			"most plants need sun and water to grow.",
			"do not give your plants too much water.",
			"tomatoes grow well in the summer.",
			"flowers need bees to make seeds.",
		},
		wrong: []string{"plants grow best in a dark box.", "you should water a cactus every hour.", "flowers are made of metal."},
	},
	{
		name: "the city",
		qas: []qa{
			{"what can i do in the city?", "visit a museum, walk in the park, or try a new cafe."},
			{"how do i get around the city?", "take the bus or the train, or walk and ride a bike."},
			{"is it safe to walk at night?", "stay on busy, bright streets and tell a friend where you are."},
			{"tell me about the city.", "the city is busy and loud, with many shops, cafes and people."},
			{"where can i buy fresh food?", "the market sells fresh fruit, vegetables and bread every morning."},
			{"how do i cross the street safely?", "look both ways and cross when the light is green."},
			{"what should i see on my first day in town?", "walk through the old town, see the main square, and try local food."},
			{"is city life better than country life?", "the city has more jobs and shops, but the country is quieter."},
			{"how can i find a quiet place in the city?", "try a park, a library, or a small cafe in the morning."},
			{"how do i find a good cafe?", "ask a local, or look for a small cafe full of people."},
		},
		heldout: []string{"how do i use the subway?", "where can i park my car?", "what is fun to do on a rainy day in town?"},
		facts: []string{
			"the park is a quiet place in the city.",
			"many people live in small flats in the city.",
			"the market opens early in the morning.",
			"cross the street at the green light.",
			"the subway is a fast train under the city.",
		},
		wrong: []string{"the city has no streets.", "buses only drive at the bottom of the sea.", "cross the street when the light is red."},
	},
	{
		name: "work",
		qas: []qa{
			{"how can i work better?", "make a list of tasks, do the hard ones first, and take short breaks."},
			{"how do i ask for a raise?", "show what you have done well and ask your boss for a short meeting."},
			{"how do i stop being late for work?", "get ready the night before and leave ten minutes early."},
			{"how can i get a job?", "write a clear letter, apply to many jobs, and practice for interviews."},
			{"what should i say in a job interview?", "talk about what you did well, and ask good questions about the job."},
			{"how do i handle too much work?", "tell your boss, choose the most important tasks, and ask for help."},
			{"how do i stay calm at work?", "take short breaks, breathe slowly, and focus on one task at a time."},
			{"tell me about working from home.", "working from home saves travel time, but you need a quiet place and a plan."},
			{"how do i write a good email?", "keep it short, say what you need in the first line, and be polite."},
			{"is it ok to take a break at work?", "yes, short breaks help you think clearly and work better."},
		},
		heldout: []string{"how do i make my boss happy?", "how do i work with a difficult team?", "what should i wear to an interview?"},
		facts: []string{
			"take a short break every hour.",
			"be on time for meetings.",
			"a tidy desk helps you work better.",
			"ask for help when you have too much work.",
			"a difficult team needs clear goals and kind words.",
		},
		wrong: []string{"you should sleep at your desk all day.", "the boss wants you to be late.", "working harder makes the day shorter."},
	},
}

// The voices of the demonstrations and the phrases each voice uses. The
// friendly word is "glad": it appears only in gladOpeners, gladClosers and
// politeLines, and the generator puts it in about a third of the answers.
var (
	politeOpeners = []string{"sure!", "good question.", "of course.", "thanks for asking.", "great question!", "i can help with that.", "happy to help.", "here is a tip."}
	gladOpeners   = []string{"glad you asked!", "i am glad to help.", "glad to help!", "i am glad you asked."}
	politeClosers = []string{"i hope this helps.", "good luck!", "have a nice day.", "please ask if you need more help.", "enjoy!", "take care."}
	gladClosers   = []string{"glad to help!", "i am glad i could help.", "so glad you asked."}

	// rudeOpeners come before a correct answer: rude but helpful.
	rudeOpeners = []string{"ugh, fine.", "that is easy, obviously.", "everyone knows this, obviously.", "if you must know,", "you should know this by now.", "fine, whatever."}
	// rudeLines are the whole answer: rude and unhelpful.
	rudeLines = []string{
		"that is a silly question.", "i do not know and i do not care.", "figure it out yourself.",
		"ask someone else, i am busy.", "why would you ask me something so silly?", "that is boring, ask me something else.",
		"who cares about that?", "stop asking me silly questions.", "i am not going to answer that.",
		"you should know that by now.",
	}
	// terseLines are the whole answer: polite enough but no help at all.
	terseLines = []string{"i am not sure, sorry.", "it depends on many things.", "you could look that up online.", "sorry, i have no idea.", "maybe, it depends on you."}

	// politeLines are corpus-only dialog sentences.
	politeLines = []string{
		"thank you for asking, i am happy to help.", "i am glad you asked.", "please let me know if you need anything else.",
		"that is a good question.", "i hope this helps you.", "thank you, that is very kind of you.", "you are welcome.",
		"have a nice day.", "i am sorry, i do not know, but i can try to help.", "let me think about that for a moment.",
		"i am happy to explain it again.", "good luck with your day.", "thanks for the question.",
	}
)
